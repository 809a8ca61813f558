package farm.render.coordinator.peers;

import farm.render.core.classes.PeerCheckPixels;
import farm.render.core.wire.SampledPixel;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.WireJson;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code peer_checks} rows: opened from a result, open to peers once the verifier's sample passed, issued to a peer at a
 * claim, decided by the peer's report (or a third peer's, in a dispute).
 */
final class PeerCheckStore {
    /** The classes a peer of {@code :peer_class} may check: its own and those with bit-identical probe runs from another owner. */
    private static final String EQUIVALENT = """
            (p.class_id = me.numerical_class OR EXISTS (SELECT 1 FROM probe_runs a JOIN probe_runs b
               ON a.fingerprint = b.fingerprint AND a.probe_count = b.probe_count AND a.owner <> b.owner
             WHERE a.class_id = p.class_id AND b.class_id = me.numerical_class))""";

    private PeerCheckStore() {
    }

    /**
     * One check as stored; {@code pixels} what it asks and holds for each; {@code disputedBy} and {@code disputedRgb} the
     * first peer's report while a third peer referees a dispute (null otherwise).
     */
    record Check(long id, String jobId, int frame, int tile, int attempt, String workerId, String classId, TileResult result,
                 PeerCheckPixels pixels, String state, String peerId, String disputedBy, float[] disputedRgb) {
        int size() {
            return pixels.size();
        }

        int[] xy() {
            return pixels.xy();
        }
    }

    /** Opens a check for a tile attempt, waiting for the verifier's sample; empty when the attempt has one already. */
    static Optional<Long> open(Connection c, TileResult r, String classId, PeerCheckPixels pixels) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO peer_checks (job_id, frame, tile, attempt, worker_id, class_id, result, xy, expected, known, reference)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (job_id, frame, tile, attempt) DO NOTHING RETURNING id""")) {
            s.setString(1, r.task().jobId());
            s.setInt(2, r.task().frame());
            s.setInt(3, r.task().tile());
            s.setInt(4, r.task().attempt());
            s.setString(5, r.workerId());
            s.setString(6, classId);
            s.setString(7, new String(WireJson.encode(r), StandardCharsets.UTF_8));
            setPixels(c, s, 8, pixels);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static void setPixels(Connection c, PreparedStatement s, int from, PeerCheckPixels pixels) throws SQLException {
        s.setArray(from, c.createArrayOf("integer", box(pixels.xy())));
        s.setArray(from + 1, c.createArrayOf("real", box(pixels.expected())));
        s.setArray(from + 2, c.createArrayOf("boolean", box(pixels.known())));
        s.setArray(from + 3, c.createArrayOf("real", box(pixels.reference())));
    }

    /** Keeps the verifier's passing sample of a tile attempt (once). */
    static void saveSample(Connection c, TileVerdict v) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO peer_check_samples (job_id, frame, tile, attempt, evidence) VALUES (?, ?, ?, ?, ?::jsonb)
                ON CONFLICT DO NOTHING""")) {
            s.setString(1, v.jobId());
            s.setInt(2, v.frame());
            s.setInt(3, v.tile());
            s.setInt(4, v.attempt());
            s.setString(5, new String(WireJson.encode(new Sample(v.evidence())), StandardCharsets.UTF_8));
            s.executeUpdate();
        }
    }

    /** The verifier's sampled pixels of a tile attempt, as stored. */
    record Sample(List<SampledPixel> pixels) {
    }

    static Optional<List<SampledPixel>> sample(Connection c, String jobId, int frame, int tile, int attempt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT evidence::text FROM peer_check_samples WHERE job_id = ? AND frame = ? AND tile = ? AND attempt = ?")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            s.setInt(4, attempt);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(WireJson.decode(r.getString(1).getBytes(StandardCharsets.UTF_8), Sample.class).pixels())
                        : Optional.empty();
            }
        }
    }

    /** The check of a tile attempt in one of {@code states}, locked. */
    static Optional<Check> ofAttempt(Connection c, String jobId, int frame, int tile, int attempt, String... states) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT id FROM peer_checks WHERE job_id = ? AND frame = ? AND tile = ? AND attempt = ? AND state = ANY (?)
                FOR UPDATE""")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            s.setInt(4, attempt);
            s.setArray(5, c.createArrayOf("text", states));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? find(c, r.getLong(1), false) : Optional.empty();
            }
        }
    }

    /** Checks still waiting in SAMPLING whose sample is in (a verdict and a result read by two replicas at once). */
    static List<Long> sampledButWaiting(Connection c, int limit) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT p.id FROM peer_checks p JOIN peer_check_samples q USING (job_id, frame, tile, attempt)
                WHERE p.state = 'SAMPLING' ORDER BY p.id LIMIT ?""")) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getLong(1));
                }
            }
        }
        return out;
    }

    /** The check's final pixels (known answers added): open for a peer from now. */
    static void activate(Connection c, long checkId, PeerCheckPixels pixels) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE peer_checks SET xy = ?, expected = ?, known = ?, reference = ?, state = 'OPEN', opened_at = now()
                WHERE id = ? AND state = 'SAMPLING'""")) {
            setPixels(c, s, 1, pixels);
            s.setLong(5, checkId);
            s.executeUpdate();
        }
    }

    /** A dispute: the first peer's report is kept and the check goes to a third peer (not the first, not its owner). */
    static void dispute(Connection c, long checkId, String peerId, float[] rgb, String signature, String reason) throws SQLException {
        exclude(c, checkId, peerId);
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE peer_checks SET state = 'OPEN', peer_id = NULL, disputed_by = ?, disputed_rgb = ?, disputed_signature = ?,
                  reason = ?, opened_at = now() WHERE id = ?""")) {
            s.setString(1, peerId);
            s.setArray(2, c.createArrayOf("real", box(rgb)));
            s.setString(3, signature);
            s.setString(4, reason);
            s.setLong(5, checkId);
            s.executeUpdate();
        }
    }

    /** Pixels two workers of the class agreed on in this frame of the job: x, y and RGB, five floats each, newest checks first. */
    static List<float[]> agreedPixels(Connection c, String jobId, int frame, String classId, int checks) throws SQLException {
        List<float[]> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT xy, expected, known FROM peer_checks WHERE job_id = ? AND frame = ? AND class_id = ? AND state = 'PASSED'
                ORDER BY id DESC LIMIT ?""")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setString(3, classId);
            s.setInt(4, checks);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int[] xy = ints(r.getArray(1));
                    float[] rgb = floats(r.getArray(2));
                    boolean[] known = bools(r.getArray(3));
                    for (int i = 0; i < known.length; i++) {
                        if (!known[i]) {
                            out.add(new float[]{xy[2 * i], xy[2 * i + 1], rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]});
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The oldest check this worker may take, locked: waiting, or issued to a peer that let it lapse; of an equivalent
     * class, rendered by another worker with another key and another owner, and not one this worker was excluded from; in a
     * dispute, not by the first peer's key or owner either.
     */
    static Optional<Check> nextFor(Connection c, String workerId, long reissueSeconds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT p.id FROM peer_checks p
                JOIN workers me ON me.id = ? AND me.numerical_class IS NOT NULL
                JOIN workers pw ON pw.id = p.worker_id AND pw.public_key <> me.public_key
                LEFT JOIN worker_owners mo ON mo.worker_id = me.id
                LEFT JOIN worker_owners po ON po.worker_id = p.worker_id
                WHERE (p.state = 'OPEN' OR (p.state = 'ISSUED' AND p.issued_at < now() - ? * interval '1 second'))
                  AND p.worker_id <> me.id AND mo.account IS DISTINCT FROM po.account AND """ + EQUIVALENT + """
                  AND NOT EXISTS (SELECT 1 FROM peer_check_exclusions e WHERE e.check_id = p.id AND e.worker_id = me.id)
                  AND (p.disputed_by IS NULL OR NOT EXISTS (SELECT 1 FROM workers d LEFT JOIN worker_owners dw ON dw.worker_id = d.id
                       WHERE d.id = p.disputed_by AND (d.public_key = me.public_key OR dw.account = mo.account)))
                ORDER BY p.id LIMIT 1 FOR UPDATE OF p SKIP LOCKED""")) {
            s.setString(1, workerId);
            s.setLong(2, reissueSeconds);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? find(c, r.getLong(1), false) : Optional.empty();
            }
        }
    }

    /** Whether some other worker (another key, another owner) of an equivalent class could check this worker's results. */
    static boolean hasPeer(Connection c, String workerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT 1 FROM workers w
                JOIN workers me ON me.id <> w.id AND me.public_key <> w.public_key AND me.numerical_class IS NOT NULL
                LEFT JOIN worker_owners wo ON wo.worker_id = w.id
                LEFT JOIN worker_owners mo ON mo.worker_id = me.id
                CROSS JOIN LATERAL (SELECT w.numerical_class AS class_id) p
                WHERE w.id = ? AND w.numerical_class IS NOT NULL AND wo.account IS DISTINCT FROM mo.account AND """ + EQUIVALENT + " LIMIT 1")) {
            s.setString(1, workerId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    static Optional<Check> find(Connection c, long id, boolean lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT id, job_id, frame, tile, attempt, worker_id, class_id, result::text, xy, expected, known, reference, state,
                  peer_id, disputed_by, disputed_rgb
                FROM peer_checks WHERE id = ?""" + (lock ? " FOR UPDATE" : ""))) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                float[] expected = floats(r.getArray(10));
                float[] reference = r.getArray(12) == null ? nan(expected.length) : floats(r.getArray(12));
                PeerCheckPixels pixels = new PeerCheckPixels(ints(r.getArray(9)), expected, bools(r.getArray(11)), reference);
                return Optional.of(new Check(r.getLong(1), r.getString(2), r.getInt(3), r.getInt(4), r.getInt(5), r.getString(6),
                        r.getString(7), WireJson.decode(r.getString(8).getBytes(StandardCharsets.UTF_8), TileResult.class),
                        pixels, r.getString(13), r.getString(14), r.getString(15),
                        r.getArray(16) == null ? null : floats(r.getArray(16))));
            }
        }
    }

    private static float[] nan(int n) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, Float.NaN);
        return out;
    }

    /** Hands the check to a peer; a peer that let it lapse before may not take it again. */
    static void issue(Connection c, Check check, String peerId) throws SQLException {
        if (check.peerId() != null && !check.peerId().equals(peerId)) {
            exclude(c, check.id(), check.peerId());
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE peer_checks SET state = 'ISSUED', peer_id = ?, issued_at = now() WHERE id = ?")) {
            s.setString(1, peerId);
            s.setLong(2, check.id());
            s.executeUpdate();
        }
    }

    static void exclude(Connection c, long checkId, String workerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO peer_check_exclusions (check_id, worker_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            s.setLong(1, checkId);
            s.setString(2, workerId);
            s.executeUpdate();
        }
    }

    /** Records a decision (PASSED, REFEREE, FAILED) or, with OPEN, puts the check back for another peer. */
    static void decide(Connection c, long checkId, String state, String reason, float[] peerRgb, String signature) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE peer_checks SET state = ?, reason = ?, peer_rgb = COALESCE(?, peer_rgb),
                  peer_signature = COALESCE(?, peer_signature), decided_at = now(),
                  peer_id = CASE WHEN ? = 'OPEN' THEN NULL ELSE peer_id END WHERE id = ?""")) {
            s.setString(1, state);
            s.setString(2, reason);
            s.setArray(3, peerRgb == null ? null : c.createArrayOf("real", box(peerRgb)));
            s.setString(4, signature);
            s.setString(5, state);
            s.setLong(6, checkId);
            s.executeUpdate();
        }
    }

    /**
     * Checks no peer took within {@code waitSeconds} of opening (or of a dispute), or whose peer let them lapse ({@code reissueSeconds}) and
     * no other took them within {@code waitSeconds} more: their ids, oldest first, locked.
     */
    static List<Long> unclaimed(Connection c, long waitSeconds, long reissueSeconds, int limit) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT id FROM peer_checks
                WHERE (state = 'OPEN' AND opened_at < now() - ? * interval '1 second')
                   OR (state = 'ISSUED' AND issued_at < now() - ? * interval '1 second')
                ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""")) {
            s.setLong(1, waitSeconds);
            s.setLong(2, waitSeconds + reissueSeconds);
            s.setInt(3, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getLong(1));
                }
            }
        }
        return out;
    }

    /** Which of these tile attempts (job, frame, tile, attempt) have a result that waits for its peer check. */
    static java.util.Set<List<Object>> awaiting(Connection c, List<String> jobs, List<Integer> frames, List<Integer> tiles,
                                                List<Integer> attempts) throws SQLException {
        java.util.Set<List<Object>> out = new java.util.HashSet<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT p.job_id, p.frame, p.tile, p.attempt FROM peer_checks p
                JOIN unnest(?::text[], ?::integer[], ?::integer[], ?::integer[]) AS q (job_id, frame, tile, attempt)
                  ON p.job_id = q.job_id AND p.frame = q.frame AND p.tile = q.tile AND p.attempt = q.attempt
                WHERE p.state IN ('SAMPLING', 'OPEN', 'ISSUED')""")) {
            s.setArray(1, c.createArrayOf("text", jobs.toArray()));
            s.setArray(2, c.createArrayOf("integer", frames.toArray()));
            s.setArray(3, c.createArrayOf("integer", tiles.toArray()));
            s.setArray(4, c.createArrayOf("integer", attempts.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(List.of(r.getString(1), r.getInt(2), r.getInt(3), r.getInt(4)));
                }
            }
        }
        return out;
    }

    /** Peer checks of a job by state. */
    static java.util.Map<String, Integer> counts(Connection c, String jobId) throws SQLException {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT state, count(*) FROM peer_checks WHERE job_id = ? GROUP BY state")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return out;
    }

    /** The elements of a primitive array, boxed, for {@code createArrayOf}. */
    private static Object[] box(Object primitives) {
        Object[] o = new Object[java.lang.reflect.Array.getLength(primitives)];
        for (int i = 0; i < o.length; i++) {
            o[i] = java.lang.reflect.Array.get(primitives, i);
        }
        return o;
    }

    private static int[] ints(Array a) throws SQLException {
        Object[] o = (Object[]) a.getArray();
        int[] out = new int[o.length];
        for (int i = 0; i < o.length; i++) {
            out[i] = ((Number) o[i]).intValue();
        }
        return out;
    }

    private static float[] floats(Array a) throws SQLException {
        Object[] o = (Object[]) a.getArray();
        float[] out = new float[o.length];
        for (int i = 0; i < o.length; i++) {
            out[i] = ((Number) o[i]).floatValue();
        }
        return out;
    }

    private static boolean[] bools(Array a) throws SQLException {
        Object[] o = (Object[]) a.getArray();
        boolean[] out = new boolean[o.length];
        for (int i = 0; i < o.length; i++) {
            out[i] = (Boolean) o[i];
        }
        return out;
    }
}
