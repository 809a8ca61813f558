package farm.render.coordinator.planning;

import farm.render.core.planning.RenderSettings;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.Tier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The {@code jobs}, {@code frames}, {@code tiles} and {@code tile_attempts} tables; callers own the transaction. */
public final class JobStore {
    private JobStore() {
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

    /**
     * Records the job, its frames and its tiles; the tiles start undispatched, for the dispatcher to publish.
     *
     * @param webhookUrl null for none
     */
    public static void insertJob(Connection c, Job job, List<TileRect> tiles, int priority, String webhookUrl) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO jobs (id, account, scene_digest, frame_start, frame_end, width, height, spp, max_bounces,
                                  tile_size, seed, tier, quote, state, frame_list, priority, webhook_url, clamp_indirect)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            RenderSettings r = job.settings();
            s.setString(1, job.id());
            s.setString(2, job.account());
            s.setString(3, job.sceneDigest());
            s.setInt(4, job.frameStart());
            s.setInt(5, job.frameEnd());
            s.setInt(6, r.width());
            s.setInt(7, r.height());
            s.setInt(8, r.spp());
            s.setInt(9, r.maxBounces());
            s.setInt(10, r.tileSize());
            s.setLong(11, r.seed());
            s.setString(12, job.tier().name());
            s.setLong(13, job.quote());
            s.setString(14, job.state().name());
            s.setArray(15, c.createArrayOf("integer", job.frames().toArray()));
            s.setInt(16, priority);
            s.setString(17, webhookUrl);
            s.setFloat(18, r.clampIndirect());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO frames (job_id, frame, tiles_total) VALUES (?, ?, ?)")) {
            for (int f : job.frames()) {
                s.setString(1, job.id());
                s.setInt(2, f);
                s.setInt(3, tiles.size());
                s.addBatch();
            }
            s.executeBatch();
        }
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

    /** How the artist steers a job: its dispatch priority, whether it is paused, and its webhook (null for none). */
    public record Control(int priority, boolean paused, String webhookUrl) {
    }

    public static Optional<Control> control(Connection c, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT priority, paused, webhook_url FROM jobs WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Control(r.getInt(1), r.getBoolean(2), r.getString(3))) : Optional.empty();
            }
        }
    }

    public static Optional<Job> find(Connection c, String jobId, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT id, account, scene_digest, frame_start, frame_end, width, height, spp, max_bounces, tile_size,
                       seed, tier, quote, state, failure, frame_list, clamp_indirect FROM jobs WHERE id = ?""" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                RenderSettings settings = new RenderSettings(r.getInt(6), r.getInt(7), r.getInt(8), r.getInt(9), r.getInt(10), r.getLong(11),
                        r.getFloat(17));
                return Optional.of(new Job(r.getString(1), r.getString(2), r.getString(3), r.getInt(4), r.getInt(5),
                        settings, Tier.valueOf(r.getString(12)), r.getLong(13), JobState.valueOf(r.getString(14)), r.getString(15),
                        frameList(r.getArray(16))));
            }
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
        Map<FrameRef, Integer> perFrame = new TreeMap<>(FrameRef.ORDER); // frame rows in one order for every writer
        for (VerifiedTile t : tiles) {
            perFrame.merge(new FrameRef(t.tile().jobId(), t.tile().frame()), 1, Integer::sum);
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

    /** A job's frame. */
    public record FrameRef(String jobId, int frame) {
        static final Comparator<FrameRef> ORDER = Comparator.comparing(FrameRef::jobId).thenComparingInt(FrameRef::frame);
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
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE frames SET tiles_verified = tiles_verified - 1 WHERE job_id = ? AND frame = ?")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.executeUpdate();
        }
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

    /** Moves a RUNNING job to a final state; false when it had already finished. */
    public static boolean finish(Connection c, String jobId, JobState state, String failure) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE jobs SET state = ?, failure = ?, finished_at = now() WHERE id = ? AND state = 'RUNNING'")) {
            s.setString(1, state.name());
            s.setString(2, failure);
            s.setString(3, jobId);
            return s.executeUpdate() == 1;
        }
    }

    /** Every frame of the job; each carries its tile states when the job has at most {@code maxTileStates} tiles. */
    public static List<JobStatus.FrameStatus> frames(Connection c, String jobId, int maxTileStates) throws SQLException {
        Map<Integer, String> tileStates = tileStates(c, jobId, maxTileStates);
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

    private static List<Integer> frameList(java.sql.Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        List<Integer> frames = new ArrayList<>(values.length);
        for (Object v : values) {
            frames.add(((Number) v).intValue());
        }
        return frames;
    }

    /** A job as the jobs list shows it. */
    public record JobSummaryRow(String id, JobState state, String sceneDigest, String tier, List<Integer> frames, int width,
                                int height, int spp, long quote, Instant createdAt, int framesDone, int tilesTotal,
                                int tilesVerified, int priority) {
    }

    /** A page of an account's jobs, newest first, after the (created, id) position of the previous page's last row. */
    public static List<JobSummaryRow> listJobs(Connection c, String account, Instant afterCreated, String afterId, int limit)
            throws SQLException {
        List<JobSummaryRow> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT j.id, j.state, j.scene_digest, j.tier, j.frame_list, j.width, j.height, j.spp, j.quote, j.created_at,
                       (SELECT count(*) FROM frames f WHERE f.job_id = j.id AND f.done),
                       (SELECT count(*) FROM tiles t WHERE t.job_id = j.id),
                       (SELECT count(*) FROM tiles t WHERE t.job_id = j.id AND t.state = 'VERIFIED'), j.paused, j.priority
                FROM jobs j WHERE j.account = ? AND (?::timestamptz IS NULL OR (j.created_at, j.id) < (?::timestamptz, ?))
                ORDER BY j.created_at DESC, j.id DESC LIMIT ?""")) {
            Timestamp after = afterCreated == null ? null : Timestamp.from(afterCreated);
            s.setString(1, account);
            s.setTimestamp(2, after);
            s.setTimestamp(3, after);
            s.setString(4, afterId == null ? "" : afterId);
            s.setInt(5, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new JobSummaryRow(r.getString(1), shown(JobState.valueOf(r.getString(2)), r.getBoolean(14)), r.getString(3),
                            r.getString(4).toLowerCase(Locale.ROOT), frameList(r.getArray(5)), r.getInt(6), r.getInt(7),
                            r.getInt(8), r.getLong(9), r.getTimestamp(10).toInstant(), r.getInt(11), r.getInt(12), r.getInt(13),
                            r.getInt(15)));
                }
            }
        }
        return out;
    }

    /** The state the API shows: a running job its artist paused shows as PAUSED. */
    public static JobState shown(JobState stored, boolean paused) {
        return stored == JobState.RUNNING && paused ? JobState.PAUSED : stored;
    }

    public static Optional<Instant> createdAt(Connection c, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT created_at FROM jobs WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    /** How recent a verified result must be for its worker to count as active on the job. */
    public static final int ACTIVE_WORKER_SECONDS = 120;

    /** Workers whose results for the job were verified in the last {@link #ACTIVE_WORKER_SECONDS} seconds. */
    public static int activeWorkers(Connection c, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(DISTINCT worker_id) FROM tile_attempts"
                + " WHERE job_id = ? AND passed AND decided_at > now() - make_interval(secs => ?)")) {
            s.setString(1, jobId);
            s.setInt(2, ACTIVE_WORKER_SECONDS);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
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

    /** Records a notice on the job for its artist. */
    public static void notice(Connection c, String jobId, String detail) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO job_notices (job_id, detail) VALUES (?, ?)")) {
            s.setString(1, jobId);
            s.setString(2, detail);
            s.executeUpdate();
        }
    }

    /** The job's newest notices, newest first. */
    public static List<JobStatus.Notice> notices(Connection c, String jobId, int limit) throws SQLException {
        List<JobStatus.Notice> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT at, detail FROM job_notices WHERE job_id = ? ORDER BY id DESC LIMIT ?")) {
            s.setString(1, jobId);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new JobStatus.Notice(r.getTimestamp(1).toInstant(), r.getString(2)));
                }
            }
        }
        return out;
    }
}
