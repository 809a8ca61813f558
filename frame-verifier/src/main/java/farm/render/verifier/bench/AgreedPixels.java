package farm.render.verifier.bench;

import farm.render.core.classes.PeerCheckPixels;
import farm.render.core.planning.TileRect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pixels a worker and a peer of the class agreed on, per frame of a job, from the newest {@link #CHECKS} agreed checks as
 * the coordinator keeps them: the known answers of later checks of other tiles.
 */
final class AgreedPixels {
    /** Agreed checks known answers are drawn from, per frame. */
    static final int CHECKS = 16;

    private final Map<String, Deque<PeerCheckPixels>> byFrame = new HashMap<>();

    void add(String job, int frame, PeerCheckPixels agreed) {
        Deque<PeerCheckPixels> checks = byFrame.computeIfAbsent(job + "@" + frame, f -> new ArrayDeque<>());
        checks.addFirst(agreed);
        if (checks.size() > CHECKS) {
            checks.removeLast();
        }
    }

    /** The agreed tile pixels of the job's {@code frame} outside {@code rect}, as {x, y, r, g, b}, in a list of the caller's own. */
    List<float[]> otherTiles(String job, int frame, TileRect rect) {
        List<float[]> out = new ArrayList<>();
        for (PeerCheckPixels check : byFrame.getOrDefault(job + "@" + frame, new ArrayDeque<>())) {
            int[] xy = check.xy();
            for (int i = 0; i < check.size(); i++) {
                if (!check.known()[i] && !BenchPeer.inside(rect, xy[2 * i], xy[2 * i + 1])) {
                    out.add(new float[]{xy[2 * i], xy[2 * i + 1], check.expected()[3 * i], check.expected()[3 * i + 1],
                            check.expected()[3 * i + 2]});
                }
            }
        }
        return out;
    }
}
