package farm.render.coordinator.planning;

import farm.render.core.planning.TileRect;

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
import java.util.Optional;
import java.util.TreeMap;

/** The {@code tiles} and {@code tile_attempts} tables, and which attempts of a tile still count; callers own the transaction. */
public final class TileStore {
    private TileStore() {
    }

    /**
     * A tile row: its rectangle, the newest attempt, its state and who rendered it. Attempts {@code minAttempt}
     * to {@code attempt} are live (a verified result of any counts); once verified, {@code verifiedAttempt} (0
     * before) and {@code verifiedDigest} name the bytes the verifier judged.
     */
    public record TileRow(int frame, int tile, TileRect rect, int attempt, String state, String workerId, int minAttempt,
                          int verifiedAttempt, String verifiedDigest) {
        /** Whether a result of {@code a} still counts for this tile. */
        public boolean live(int a) {
            return isLive(state, minAttempt, attempt, a);
        }
    }

    /** The one rule for live attempts: a queued tile's attempts {@code minAttempt} to {@code attempt} count. */
    public static boolean isLive(String state, int minAttempt, int attempt, int a) {
        return "QUEUED".equals(state) && a >= minAttempt && a <= attempt;
    }

    /** Records every tile of every frame of the job, undispatched, for the dispatcher to publish. */
    static void insertTiles(Connection c, Job job, List<TileRect> tiles) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO tiles (job_id, frame, tile, x, y, width, height, dispatched) VALUES (?, ?, ?, ?, ?, ?, ?, FALSE)")) {
            int batched = 0;
            for (int f : job.frames()) {
                for (int i = 0; i < tiles.size(); i++) {
                    TileRect t = tiles.get(i);
                    s.setString(1, job.id());
                    s.setInt(2, f);
                    s.setInt(3, i);
                    s.setInt(4, t.x());
                    s.setInt(5, t.y());
                    s.setInt(6, t.width());
                    s.setInt(7, t.height());
                    s.addBatch();
                    if (++batched % 1000 == 0) {
                        s.executeBatch();
                    }
                }
            }
            s.executeBatch();
        }
    }

    /** Locks and returns one tile row. */
    public static Optional<TileRow> lockTile(Connection c, String jobId, int frame, int tile) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT frame, tile, x, y, width, height, attempt, state, worker_id, min_attempt, verified_attempt, verified_digest FROM tiles
                WHERE job_id = ? AND frame = ? AND tile = ? FOR UPDATE""")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(tileRow(r)) : Optional.empty();
            }
        }
    }

    public static List<TileRow> frameTiles(Connection c, String jobId, int frame) throws SQLException {
        List<TileRow> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT frame, tile, x, y, width, height, attempt, state, worker_id, min_attempt, verified_attempt, verified_digest FROM tiles
                WHERE job_id = ? AND frame = ? ORDER BY tile""")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(tileRow(r));
                }
            }
        }
        return out;
    }

    private static TileRow tileRow(ResultSet r) throws SQLException {
        return new TileRow(r.getInt(1), r.getInt(2), new TileRect(r.getInt(3), r.getInt(4), r.getInt(5), r.getInt(6)),
                r.getInt(7), r.getString(8), r.getString(9), r.getInt(10), r.getInt(11), r.getString(12));
    }

    /** Which tile: a job's frame and the tile's index in it. */
    public record TileRef(String jobId, int frame, int tile) {
    }

    /** Locks the named tiles in (job, frame, tile) order, as every batch does, and returns those that exist. */
    public static Map<TileRef, TileRow> lockTiles(Connection c, Collection<TileRef> refs) throws SQLException {
        List<TileRef> sorted = new ArrayList<>(new LinkedHashSet<>(refs));
        Map<TileRef, TileRow> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT t.frame, t.tile, t.x, t.y, t.width, t.height, t.attempt, t.state, t.worker_id, t.min_attempt, t.verified_attempt,
                       t.verified_digest, t.job_id FROM tiles t
                JOIN unnest(?::text[], ?::integer[], ?::integer[]) AS q (job_id, frame, tile)
                  ON t.job_id = q.job_id AND t.frame = q.frame AND t.tile = q.tile
                ORDER BY t.job_id, t.frame, t.tile FOR UPDATE OF t""")) {
            s.setArray(1, c.createArrayOf("text", sorted.stream().map(TileRef::jobId).toArray()));
            s.setArray(2, c.createArrayOf("integer", sorted.stream().map(TileRef::frame).toArray()));
            s.setArray(3, c.createArrayOf("integer", sorted.stream().map(TileRef::tile).toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    TileRow row = tileRow(r);
                    out.put(new TileRef(r.getString(13), row.frame(), row.tile()), row);
                }
            }
        }
        return out;
    }

    /** A tile verified as rendered by a worker in one attempt, and the digest of the bytes the verifier judged. */
    public record VerifiedTile(TileRef tile, String workerId, int attempt, String digest) {
    }

    /**
     * Marks the tiles verified and adds them to their frames' verified counts, in the same transaction:
     * the caller has locked them and seen each still queued, so each tile counts once.
     */
    public static void markTilesVerified(Connection c, List<VerifiedTile> tiles) throws SQLException {
        if (tiles.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE tiles SET state = 'VERIFIED', worker_id = ?, verified_attempt = ?, verified_digest = ?, updated_at = now()"
                        + " WHERE job_id = ? AND frame = ? AND tile = ?")) {
            for (VerifiedTile t : tiles) {
                s.setString(1, t.workerId());
                s.setInt(2, t.attempt());
                s.setString(3, t.digest());
                s.setString(4, t.tile().jobId());
                s.setInt(5, t.tile().frame());
                s.setInt(6, t.tile().tile());
                s.addBatch();
            }
            s.executeBatch();
        }
        FrameStore.addVerified(c, tiles.stream().map(t -> new FrameStore.FrameRef(t.tile().jobId(), t.tile().frame())).toList());
    }

    /** Sets the tile's attempt and state; every earlier attempt stops counting. */
    public static void setTileAttempt(Connection c, String jobId, int frame, int tile, int attempt, String state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE tiles SET attempt = ?, min_attempt = ?, state = ?, updated_at = now()"
                + " WHERE job_id = ? AND frame = ? AND tile = ?")) {
            s.setInt(1, attempt);
            s.setInt(2, attempt);
            s.setString(3, state);
            s.setString(4, jobId);
            s.setInt(5, frame);
            s.setInt(6, tile);
            s.executeUpdate();
        }
    }

    /**
     * Sends a verified tile back to be rendered again as a new attempt (its stored bytes are not the ones verified):
     * the tile is queued undispatched for the dispatcher and leaves its frame's verified count. False when the tile
     * was not verified in {@code attempt}.
     */
    public static boolean unverify(Connection c, String jobId, int frame, int tile, int attempt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE tiles SET state = 'QUEUED', attempt = attempt + 1, min_attempt = attempt + 1, dispatched = FALSE,
                                 verified_attempt = NULL, verified_digest = NULL, updated_at = now()
                WHERE job_id = ? AND frame = ? AND tile = ? AND state = 'VERIFIED' AND verified_attempt = ?""")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            s.setInt(4, attempt);
            if (s.executeUpdate() == 0) {
                return false;
            }
        }
        FrameStore.removeVerified(c, jobId, frame);
        return true;
    }

    public static void recordAttempt(Connection c, String jobId, int frame, int tile, int attempt, String workerId,
                                     boolean passed, String reason, int checked, int mismatched) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO tile_attempts (job_id, frame, tile, attempt, worker_id, passed, reason, pixels_checked, pixels_mismatched)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            s.setInt(4, attempt);
            s.setString(5, workerId);
            s.setBoolean(6, passed);
            s.setString(7, reason == null ? "" : reason);
            s.setInt(8, checked);
            s.setInt(9, mismatched);
            s.executeUpdate();
        }
    }

    /** One letter per tile of each frame (see {@link JobStatus.FrameStatus#tiles}); empty when the job has more than {@code max} tiles. */
    static Map<Integer, String> tileStates(Connection c, String jobId, int max) throws SQLException {
        Map<Integer, StringBuilder> states = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT frame, state, attempt FROM tiles WHERE job_id = ?
                  AND (SELECT count(*) FROM tiles WHERE job_id = ?) <= ? ORDER BY frame, tile""")) {
            s.setString(1, jobId);
            s.setString(2, jobId);
            s.setInt(3, max);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    char state = switch (r.getString(2)) {
                        case "VERIFIED" -> 'v';
                        case "FAILED" -> 'f';
                        default -> r.getInt(3) > 1 ? 'r' : 'q';
                    };
                    states.computeIfAbsent(r.getInt(1), k -> new StringBuilder()).append(state);
                }
            }
        }
        Map<Integer, String> out = new HashMap<>();
        states.forEach((frame, letters) -> out.put(frame, letters.toString()));
        return out;
    }

    public static JobStatus.TileCounts tileCounts(Connection c, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT count(*), count(*) FILTER (WHERE state = 'QUEUED'), count(*) FILTER (WHERE state = 'VERIFIED'),
                       count(*) FILTER (WHERE state = 'FAILED'), COALESCE(SUM(attempt - 1), 0), count(*) FILTER (WHERE dispatched)
                FROM tiles WHERE job_id = ?""")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new JobStatus.TileCounts(r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4), r.getInt(5), r.getInt(6));
            }
        }
    }
}
