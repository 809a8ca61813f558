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
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code jobs} and {@code job_notices} tables; a job's frames are in {@link FrameStore}, its tiles in
 * {@link TileStore}. Callers own the transaction.
 */
public final class JobStore {
    private JobStore() {
    }

    /**
     * Records the job, its frames and its tiles; the tiles start undispatched, for the dispatcher to publish.
     *
     * @param webhookUrl null for none
     */
    public static void insertJob(Connection c, Job job, List<TileRect> tiles, int priority, String webhookUrl) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO jobs (id, account, scene_digest, frame_start, frame_end, width, height, spp, max_bounces,
                                  tile_size, seed, tier, quote, state, frame_list, priority, webhook_url, clamp_indirect,
                                  device_memory_bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
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
            s.setLong(19, job.deviceMemoryBytes());
            s.executeUpdate();
        }
        FrameStore.insertFrames(c, job, tiles.size());
        TileStore.insertTiles(c, job, tiles);
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
                       seed, tier, quote, state, failure, frame_list, clamp_indirect, device_memory_bytes FROM jobs WHERE id = ?""" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                RenderSettings settings = new RenderSettings(r.getInt(6), r.getInt(7), r.getInt(8), r.getInt(9), r.getInt(10), r.getLong(11),
                        r.getFloat(17));
                return Optional.of(new Job(r.getString(1), r.getString(2), r.getString(3), r.getInt(4), r.getInt(5),
                        settings, Tier.valueOf(r.getString(12)), r.getLong(13), JobState.valueOf(r.getString(14)), r.getString(15),
                        frameList(r.getArray(16)), r.getLong(18)));
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
