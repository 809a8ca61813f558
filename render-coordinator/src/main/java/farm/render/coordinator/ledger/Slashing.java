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
    private static long amount(long held) {
        return Math.min(held, Math.max(1, Math.multiplyExact(held, SLASH_PERCENT) / 100));
    }

    /**
     * Takes {@link #SLASH_PERCENT} of the worker's stake to the network for a failed (job, frame, tile,
     * attempt); at most once per attempt. Returns the amount taken, empty when nothing was.
     */
    public Optional<Long> slash(Connection c, String jobId, int frame, int tile, int attempt, String workerId) throws SQLException {
        Optional<Taken> taken = take(c, workerId, jobId, "failed verdict, tile " + frame + "/" + tile + " attempt " + attempt, con -> {
            try (PreparedStatement s = con.prepareStatement("SELECT 1 FROM tile_slashes WHERE job_id = ? AND frame = ? AND tile = ? AND attempt = ?")) {
                s.setString(1, jobId);
                s.setInt(2, frame);
                s.setInt(3, tile);
                s.setInt(4, attempt);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO tile_slashes (job_id, frame, tile, attempt, worker_id, amount, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            s.setInt(4, attempt);
            s.setString(5, workerId);
            s.setLong(6, taken.get().amount());
            s.setLong(7, taken.get().entryId());
            s.executeUpdate();
        }
        return Optional.of(taken.get().amount());
    }

    /** A slash taken: how much, and the ledger entry that moved it. */
    record Taken(long amount, long entryId) {
    }

    /** Whether an offence was slashed before, read under the stake's lock. */
    interface Once {
        boolean takenBefore(Connection c) throws SQLException;
    }

    /**
     * Takes {@link #SLASH_PERCENT} of the worker's stake to the network for one offence, under the stake's lock; empty when
     * the worker has no stake or {@code once} says the offence was slashed before. The caller records the offence.
     */
    Optional<Taken> take(Connection c, String workerId, String jobId, String memo, Once once) throws SQLException {
        String stake = Accounts.stake(workerId);
        if (!balances.exists(c, stake)) {
            return Optional.empty();
        }
        long held = Balances.lockAndBalance(c, stake);
        if (once.takenBefore(c)) {
            return Optional.empty();
        }
        long amount = amount(held);
        if (amount <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Taken(amount, chain.transfer(c, EntryKind.SLASH, jobId, memo, stake, Accounts.FEES, amount)));
    }
}
