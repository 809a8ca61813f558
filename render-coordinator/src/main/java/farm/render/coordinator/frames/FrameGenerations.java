package farm.render.coordinator.frames;

import farm.render.coordinator.planning.FrameStore.FrameRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Which render of a frame its tiles now belong to: 1 at first, one more each time the artist rejects the
 * frame. A tile is paid once per generation of its frame.
 */
public final class FrameGenerations {
    private FrameGenerations() {
    }

    /** The current generation of each of these frames that exists. */
    public static Map<FrameRef, Integer> current(Connection c, Collection<FrameRef> frames) throws SQLException {
        Map<FrameRef, Integer> out = new HashMap<>();
        if (frames.isEmpty()) {
            return out;
        }
        List<FrameRef> distinct = new ArrayList<>(new LinkedHashSet<>(frames));
        try (PreparedStatement s = c.prepareStatement("""
                SELECT f.job_id, f.frame, f.generation FROM frames f
                JOIN unnest(?::text[], ?::integer[]) AS q (job_id, frame) ON f.job_id = q.job_id AND f.frame = q.frame""")) {
            s.setArray(1, c.createArrayOf("text", distinct.stream().map(FrameRef::jobId).toArray()));
            s.setArray(2, c.createArrayOf("integer", distinct.stream().map(FrameRef::frame).toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(new FrameRef(r.getString(1), r.getInt(2)), r.getInt(3));
                }
            }
        }
        return out;
    }
}
