package farm.render.coordinator.claims;

import farm.render.coordinator.planning.TileStore;
import farm.render.coordinator.planning.TileStore.TileRef;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.ClaimRequest;

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

/** What claims read and write in {@code tile_claims}, {@code tiles} and {@code workers}; callers own the transaction. */
final class ClaimStore {
    private ClaimStore() {
    }

    /** A tile as a claim sees it: its live attempts, state and how often its claims sent it back. */
    record ClaimedTile(TileRef ref, TileRect rect, int attempt, int minAttempt, String state, int refusals) {
        boolean live(int a) {
            return TileStore.isLive(state, minAttempt, attempt, a);
        }
    }

    /**
     * The tiles the tickets name, read without locking them: a claim must not wait for the dispatch pass that is
     * publishing its ticket (its transaction holds those rows until the broker acknowledged the batch). Whatever a
     * claim changes on a tile, it changes only if the tile is still on the attempt it read ({@link #putBack}).
     */
    static Map<TileRef, ClaimedTile> tiles(Connection c, Collection<ClaimRequest.Ticket> tickets) throws SQLException {
        List<TileRef> refs = new ArrayList<>(new LinkedHashSet<>(tickets.stream()
                .map(t -> new TileRef(t.jobId(), t.frame(), t.tile())).toList()));
        Map<TileRef, ClaimedTile> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT t.job_id, t.frame, t.tile, t.x, t.y, t.width, t.height, t.attempt, t.min_attempt, t.state, t.refusals FROM tiles t
                JOIN unnest(?::text[], ?::integer[], ?::integer[]) AS q (job_id, frame, tile)
                  ON t.job_id = q.job_id AND t.frame = q.frame AND t.tile = q.tile
                """)) {
            s.setArray(1, c.createArrayOf("text", refs.stream().map(TileRef::jobId).toArray()));
            s.setArray(2, c.createArrayOf("integer", refs.stream().map(TileRef::frame).toArray()));
            s.setArray(3, c.createArrayOf("integer", refs.stream().map(TileRef::tile).toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    TileRef ref = new TileRef(r.getString(1), r.getInt(2), r.getInt(3));
                    out.put(ref, new ClaimedTile(ref, new TileRect(r.getInt(4), r.getInt(5), r.getInt(6), r.getInt(7)),
                            r.getInt(8), r.getInt(9), r.getString(10), r.getInt(11)));
                }
            }
        }
        return out;
    }

    /**
     * Claims these attempts for the worker where nobody holds them yet, in one statement, and returns the holder of
     * each (the worker itself where its claim went in or was there already).
     */
    static Map<ClaimRequest.Ticket, String> claimAll(Connection c, List<ClaimRequest.Ticket> tickets, String workerId)
            throws SQLException {
        Map<ClaimRequest.Ticket, String> holders = new HashMap<>();
        if (tickets.isEmpty()) {
            return holders;
        }
        try (PreparedStatement s = c.prepareStatement("""
                WITH q AS (SELECT * FROM unnest(?::text[], ?::integer[], ?::integer[], ?::integer[]) AS q (job_id, frame, tile, attempt)),
                     ins AS (INSERT INTO tile_claims (job_id, frame, tile, attempt, worker_id)
                             SELECT job_id, frame, tile, attempt, ? FROM q ON CONFLICT DO NOTHING
                             RETURNING job_id, frame, tile, attempt, worker_id)
                SELECT job_id, frame, tile, attempt, worker_id FROM ins
                UNION ALL
                SELECT c.job_id, c.frame, c.tile, c.attempt, c.worker_id FROM tile_claims c
                JOIN q ON c.job_id = q.job_id AND c.frame = q.frame AND c.tile = q.tile AND c.attempt = q.attempt""")) {
            s.setArray(1, c.createArrayOf("text", tickets.stream().map(ClaimRequest.Ticket::jobId).toArray()));
            s.setArray(2, c.createArrayOf("integer", tickets.stream().map(ClaimRequest.Ticket::frame).toArray()));
            s.setArray(3, c.createArrayOf("integer", tickets.stream().map(ClaimRequest.Ticket::tile).toArray()));
            s.setArray(4, c.createArrayOf("integer", tickets.stream().map(ClaimRequest.Ticket::attempt).toArray()));
            s.setString(5, workerId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    holders.put(new ClaimRequest.Ticket(r.getString(1), r.getInt(2), r.getInt(3), r.getInt(4)), r.getString(5));
                }
            }
        }
        return holders;
    }

    /** Whether a worker holds this attempt. */
    static boolean held(Connection c, ClaimRequest.Ticket t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM tile_claims WHERE job_id = ? AND frame = ? AND tile = ? AND attempt = ?")) {
            bindAttempt(s, t);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Lets go of the worker's claim of this attempt, so another worker may claim it. */
    static void release(Connection c, ClaimRequest.Ticket t, String workerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM tile_claims WHERE job_id = ? AND frame = ? AND tile = ? AND attempt = ? AND worker_id = ?")) {
            bindAttempt(s, t);
            s.setString(5, workerId);
            s.executeUpdate();
        }
    }

    /** The attempt as the first four parameters: job, frame, tile, attempt. */
    private static void bindAttempt(PreparedStatement s, ClaimRequest.Ticket t) throws SQLException {
        s.setString(1, t.jobId());
        s.setInt(2, t.frame());
        s.setInt(3, t.tile());
        s.setInt(4, t.attempt());
    }

    /**
     * Puts the tile back for the dispatcher to publish again, on its current attempt or on a new one, if it is still
     * queued on {@code attempt}; false when something else moved it on meanwhile.
     */
    static boolean putBack(Connection c, TileRef ref, int attempt, boolean newAttempt) throws SQLException {
        return putBack(c, ref, attempt, newAttempt, true);
    }

    /**
     * As {@link #putBack(Connection, TileRef, int, boolean)} on a new attempt, without counting a refusal: for a tile
     * that waits for a device large enough, which must not use up the put-backs that tier and block refusals have.
     */
    static boolean sendOnward(Connection c, TileRef ref, int attempt) throws SQLException {
        return putBack(c, ref, attempt, true, false);
    }

    private static boolean putBack(Connection c, TileRef ref, int attempt, boolean newAttempt, boolean counted) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE tiles SET dispatched = FALSE"
                + (counted ? ", refusals = refusals + 1" : "") + (newAttempt ? ", attempt = attempt + 1" : "") + ", updated_at = now()"
                + " WHERE job_id = ? AND frame = ? AND tile = ? AND attempt = ? AND state = 'QUEUED'")) {
            s.setString(1, ref.jobId());
            s.setInt(2, ref.frame());
            s.setInt(3, ref.tile());
            s.setInt(4, attempt);
            return s.executeUpdate() == 1;
        }
    }

    /** A registered worker as its claim sees it: why the operator blocked it, if it is blocked. */
    record Gate(Optional<String> blocked) {
    }

    /** The worker's gate; empty when no worker has this id. */
    static Optional<Gate> gate(Connection c, String workerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT blocked_at IS NOT NULL, blocked_reason FROM workers WHERE id = ?")) {
            s.setString(1, workerId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Gate(r.getBoolean(1) ? Optional.of(Optional.ofNullable(r.getString(2)).orElse(""))
                        : Optional.empty()));
            }
        }
    }

    /** Blocks the worker (reason given) or lifts its block (reason null); false when no such worker. */
    static boolean setBlocked(Connection c, String workerId, String reason) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(reason == null
                ? "UPDATE workers SET blocked_reason = NULL, blocked_at = NULL WHERE id = ?"
                : "UPDATE workers SET blocked_reason = ?, blocked_at = now() WHERE id = ?")) {
            int i = 1;
            if (reason != null) {
                s.setString(i++, reason);
            }
            s.setString(i, workerId);
            return s.executeUpdate() == 1;
        }
    }
}
