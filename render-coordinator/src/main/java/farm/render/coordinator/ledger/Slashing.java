package farm.render.coordinator.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** How much of a worker's stake a failed verdict takes, and that it takes it once per attempt. */
@ApplicationScoped
public class Slashing {
    /** The share of a worker's stake a failed verdict takes, in percent (at least one micro-token). */
    public static final int SLASH_PERCENT = 10;

    private final EntryChain chain;
    private final Balances balances;

    public Slashing(EntryChain chain, Balances balances) {
        this.chain = chain;
        this.balances = balances;
    }

    /** What a slash takes of a stake of {@code held}: {@link #SLASH_PERCENT}, at least one micro-token, never more than held. */
    static long amount(long held) {
        return Math.min(held, Math.max(1, Math.multiplyExact(held, SLASH_PERCENT) / 100));
    }

    /**
     * Takes {@link #SLASH_PERCENT} of the worker's stake to the network for a failed (job, frame, tile,
     * attempt); at most once per attempt. Returns the amount taken, empty when nothing was.
     */
    public Optional<Long> slash(Connection c, String jobId, int frame, int tile, int attempt, String workerId) throws SQLException {
        String stake = Accounts.stake(workerId);
        if (!balances.exists(c, stake)) {
            return Optional.empty();
        }
        long held = Balances.lockAndBalance(c, stake);
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM tile_slashes WHERE job_id = ? AND frame = ? AND tile = ? AND attempt = ?")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            s.setInt(4, attempt);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return Optional.empty();
                }
            }
        }
        long amount = amount(held);
        if (amount <= 0) {
            return Optional.empty();
        }
        long entryId = chain.transfer(c, EntryKind.SLASH, jobId, "failed verdict, tile " + frame + "/" + tile + " attempt " + attempt,
                stake, Accounts.FEES, amount);
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO tile_slashes (job_id, frame, tile, attempt, worker_id, amount, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            s.setInt(4, attempt);
            s.setString(5, workerId);
            s.setLong(6, amount);
            s.setLong(7, entryId);
            s.executeUpdate();
        }
        return Optional.of(amount);
    }
}
