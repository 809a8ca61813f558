package farm.render.coordinator.scheduling;

import farm.render.coordinator.dispatch.TaskFactory.TileAttempt;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.Tier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the dispatch window reads and writes in the {@code jobs} and {@code tiles} tables; callers own the transaction. */
final class DispatchStore {
    /** The advisory lock that makes one dispatch pass, pause or resume at a time across every replica. */
    static final long DISPATCH_LOCK = 0x7061_7573_6500L;

    private DispatchStore() {
    }

    /** Waits until no other replica dispatches, then holds the lock until the transaction ends. */
    static void lock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            s.setLong(1, DISPATCH_LOCK);
            s.executeQuery().close();
        }
    }

    /** Tiles of the tier's running jobs out on the bus (published, not yet verified or failed for good), by account. */
    static Map<String, Integer> outByAccount(Connection c, Tier tier) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT j.account, count(*) FROM tiles t JOIN jobs j ON j.id = t.job_id
                WHERE t.dispatched AND t.state = 'QUEUED' AND j.state = 'RUNNING' AND j.tier = ?
                GROUP BY j.account""")) {
            s.setString(1, tier.name());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return out;
    }

    /**
     * A running, unpaused job of the tier with tiles still to publish: its account and the account's fair-share weight,
     * how many of its tiles are out now and how many wait to be published (counted up to the cap asked for).
     */
    record Waiting(String jobId, String account, int weight, int out, int ready) {
    }

    /**
     * The tier's jobs waiting for dispatch, highest priority first, then oldest first; {@code readyCap} bounds the
     * count of each job's tiles still to publish, so that a large backlog is not counted in full on every pass.
     */
    static List<Waiting> waiting(Connection c, Tier tier, int readyCap) throws SQLException {
        List<Waiting> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT j.id, j.account, COALESCE(a.weight, 1),
                       (SELECT count(*) FROM tiles o WHERE o.job_id = j.id AND o.dispatched AND o.state = 'QUEUED'),
                       (SELECT count(*) FROM (SELECT 1 FROM tiles t WHERE t.job_id = j.id AND NOT t.dispatched AND t.state = 'QUEUED'
                                              LIMIT ?) r)
                FROM jobs j LEFT JOIN account_shares a ON a.account = j.account
                WHERE j.state = 'RUNNING' AND NOT j.paused AND j.tier = ?
                  AND EXISTS (SELECT 1 FROM tiles t WHERE t.job_id = j.id AND NOT t.dispatched AND t.state = 'QUEUED')
                ORDER BY j.priority DESC, j.created_at, j.id""")) {
            s.setInt(1, readyCap);
            s.setString(2, tier.name());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Waiting(r.getString(1), r.getString(2), r.getInt(3), r.getInt(4), r.getInt(5)));
                }
            }
        }
        return out;
    }

    /** Marks up to {@code limit} of the job's undispatched tiles dispatched, frame by frame in tile order, and returns them. */
    static List<TileAttempt> take(Connection c, String jobId, int limit) throws SQLException {
        List<TileAttempt> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE tiles SET dispatched = TRUE, updated_at = now()
                WHERE (job_id, frame, tile) IN (
                    SELECT job_id, frame, tile FROM tiles WHERE job_id = ? AND NOT dispatched AND state = 'QUEUED'
                    ORDER BY frame, tile LIMIT ? FOR UPDATE)
                RETURNING frame, tile, x, y, width, height, attempt""")) {
            s.setString(1, jobId);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new TileAttempt(r.getInt(1), r.getInt(2), new TileRect(r.getInt(3), r.getInt(4), r.getInt(5), r.getInt(6)),
                            r.getInt(7)));
                }
            }
        }
        out.sort(Comparator.comparingInt(TileAttempt::frame).thenComparingInt(TileAttempt::tile));
        return out;
    }

    static void setPaused(Connection c, String jobId, boolean paused) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE jobs SET paused = ? WHERE id = ?")) {
            s.setBoolean(1, paused);
            s.setString(2, jobId);
            s.executeUpdate();
        }
    }

    static void setPriority(Connection c, String jobId, int priority) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE jobs SET priority = ? WHERE id = ?")) {
            s.setInt(1, priority);
            s.setString(2, jobId);
            s.executeUpdate();
        }
    }
}
