package farm.render.coordinator.planning;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code frames} table: each frame's verified tile count and whether it is assembled; callers own the transaction. */
public final class FrameStore {
    private FrameStore() {
    }

    /** Records every frame of the job with its tile count. */
    static void insertFrames(Connection c, Job job, int tilesPerFrame) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO frames (job_id, frame, tiles_total) VALUES (?, ?, ?)")) {
            for (int f : job.frames()) {
                s.setString(1, job.id());
                s.setInt(2, f);
                s.setInt(3, tilesPerFrame);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** A job's frame. */
    public record FrameRef(String jobId, int frame) {
        private static final Comparator<FrameRef> ORDER = Comparator.comparing(FrameRef::jobId).thenComparingInt(FrameRef::frame);
    }

    /** Adds each named tile to its frame's verified count (a frame named twice counts twice), frame rows in one order. */
    static void addVerified(Connection c, List<FrameRef> verifiedTiles) throws SQLException {
        Map<FrameRef, Integer> perFrame = new TreeMap<>(FrameRef.ORDER); // frame rows in one order for every writer
        for (FrameRef f : verifiedTiles) {
            perFrame.merge(f, 1, Integer::sum);
        }
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE frames SET tiles_verified = tiles_verified + ? WHERE job_id = ? AND frame = ?")) {
            for (Map.Entry<FrameRef, Integer> f : perFrame.entrySet()) {
                s.setInt(1, f.getValue());
                s.setString(2, f.getKey().jobId());
                s.setInt(3, f.getKey().frame());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Takes one tile out of the frame's verified count. */
    static void removeVerified(Connection c, String jobId, int frame) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE frames SET tiles_verified = tiles_verified - 1 WHERE job_id = ? AND frame = ?")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.executeUpdate();
        }
    }

    /** Every frame of a running job whose every tile is verified but that is not assembled yet. */
    public static List<FrameRef> framesReady(Connection c) throws SQLException {
        List<FrameRef> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT f.job_id, f.frame FROM frames f JOIN jobs j ON j.id = f.job_id
                WHERE NOT f.done AND f.tiles_verified = f.tiles_total AND j.state = 'RUNNING'
                ORDER BY f.job_id, f.frame LIMIT 1000""");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new FrameRef(r.getString(1), r.getInt(2)));
            }
        }
        return out;
    }

    /** Of the given frames, those of running jobs whose every tile is verified but that are not assembled yet. */
    public static List<FrameRef> framesReady(Connection c, Collection<FrameRef> frames) throws SQLException {
        List<FrameRef> out = new ArrayList<>();
        if (frames.isEmpty()) {
            return out;
        }
        try (PreparedStatement s = c.prepareStatement("""
                SELECT f.job_id, f.frame FROM frames f
                JOIN unnest(?::text[], ?::integer[]) AS q (job_id, frame) ON f.job_id = q.job_id AND f.frame = q.frame
                JOIN jobs j ON j.id = f.job_id
                WHERE NOT f.done AND f.tiles_verified = f.tiles_total AND j.state = 'RUNNING'
                ORDER BY f.job_id, f.frame""")) {
            List<FrameRef> distinct = new ArrayList<>(new LinkedHashSet<>(frames));
            s.setArray(1, c.createArrayOf("text", distinct.stream().map(FrameRef::jobId).toArray()));
            s.setArray(2, c.createArrayOf("integer", distinct.stream().map(FrameRef::frame).toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new FrameRef(r.getString(1), r.getInt(2)));
                }
            }
        }
        return out;
    }

    public static boolean frameDone(Connection c, String jobId, int frame) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT done FROM frames WHERE job_id = ? AND frame = ?")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    /** Marks the frame done; false when it already was. */
    public static boolean markFrameDone(Connection c, String jobId, int frame) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE frames SET done = TRUE, done_at = now() WHERE job_id = ? AND frame = ? AND NOT done")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            return s.executeUpdate() == 1;
        }
    }

    public static int framesPending(Connection c, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM frames WHERE job_id = ? AND NOT done")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** Every frame of the job; each carries its tile states when the job has at most {@code maxTileStates} tiles. */
    public static List<JobStatus.FrameStatus> frames(Connection c, String jobId, int maxTileStates) throws SQLException {
        Map<Integer, String> tileStates = TileStore.tileStates(c, jobId, maxTileStates);
        List<JobStatus.FrameStatus> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT frame, done FROM frames WHERE job_id = ? ORDER BY frame")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int frame = r.getInt(1);
                    boolean done = r.getBoolean(2);
                    out.add(new JobStatus.FrameStatus(frame, done, done ? "/api/v1/jobs/" + jobId + "/frames/" + frame + ".png" : null,
                            tileStates.get(frame)));
                }
            }
        }
        return out;
    }
}
