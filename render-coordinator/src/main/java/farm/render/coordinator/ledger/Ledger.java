package farm.render.coordinator.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The double-entry ledger. Every method runs inside the caller's transaction: an entry's postings
 * sum to zero, balances are sums of postings, and no account but {@code mint} goes below zero,
 * checked under {@code SELECT … FOR UPDATE} on the accounts it touches.
 */
@ApplicationScoped
public class Ledger {
    /** The network's share of each tile payment, in percent (rounded down, so the worker keeps the remainder). */
    public static final int NETWORK_FEE_PERCENT = 5;

    public static long networkFee(long price) {
        return Math.multiplyExact(price, NETWORK_FEE_PERCENT) / 100;
    }

    /** Opens an account if it does not exist; true when it was created now. */
    public boolean open(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO accounts (id) VALUES (?) ON CONFLICT DO NOTHING")) {
            s.setString(1, account);
            return s.executeUpdate() == 1;
        }
    }

    /** Opens an artist account on first use and mints its initial grant; true when it was new. */
    public boolean openArtist(Connection c, String account, long initialGrant) throws SQLException {
        if (!open(c, account)) {
            return false;
        }
        if (initialGrant > 0) {
            post(c, EntryKind.MINT, null, "initial grant", List.of(new Posting(Accounts.MINT, -initialGrant), new Posting(account, initialGrant)));
        }
        return true;
    }

    /** Moves {@code amount} from one account to another as one entry. */
    public long transfer(Connection c, EntryKind kind, String jobId, String memo, String from, String to, long amount) throws SQLException {
        return post(c, kind, jobId, memo, List.of(new Posting(from, -amount), new Posting(to, amount)));
    }

    /**
     * Posts one balanced entry and returns its id.
     *
     * @throws InsufficientFundsException when an account other than the mint would go negative
     */
    public long post(Connection c, EntryKind kind, String jobId, String memo, List<Posting> postings) throws SQLException {
        long sum = 0;
        Map<String, Long> delta = new TreeMap<>(); // sorted: every writer locks accounts in the same order
        for (Posting p : postings) {
            sum = Math.addExact(sum, p.amount());
            delta.merge(p.account(), p.amount(), Math::addExact);
        }
        if (sum != 0) {
            throw new IllegalArgumentException("postings must sum to zero, not " + sum);
        }
        for (Map.Entry<String, Long> d : delta.entrySet()) {
            long balance = lockAndBalance(c, d.getKey());
            if (!d.getKey().equals(Accounts.MINT) && balance + d.getValue() < 0) {
                throw new InsufficientFundsException(d.getKey(), balance, -d.getValue());
            }
        }
        long entryId;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_entries (kind, job_id, memo) VALUES (?, ?, ?) RETURNING id")) {
            s.setString(1, kind.name());
            s.setString(2, jobId);
            s.setString(3, memo);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                entryId = r.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_postings (entry_id, account, amount) VALUES (?, ?, ?)")) {
            for (Posting p : postings) {
                s.setLong(1, entryId);
                s.setString(2, p.account());
                s.setLong(3, p.amount());
                s.addBatch();
            }
            s.executeBatch();
        }
        return entryId;
    }

    /** The balance of an account (zero for one that does not exist), without locking. */
    public long balance(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(amount), 0) FROM ledger_postings WHERE account = ?")) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    public boolean exists(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM accounts WHERE id = ?")) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private long lockAndBalance(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM accounts WHERE id = ? FOR UPDATE")) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no ledger account " + account);
                }
            }
        }
        return balance(c, account);
    }

    /**
     * Pays a verified tile from the job's escrow: the worker gets {@code price} minus the network fee,
     * the fee account the rest. Exactly once per (job, frame, tile): a second call returns empty.
     */
    public Optional<TilePayment> payTile(Connection c, String jobId, int frame, int tile, int attempt, String workerId, long price) throws SQLException {
        String escrow = Accounts.escrow(jobId);
        lockAndBalance(c, escrow); // serialises all payments of this job, so the check below is race-free
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM tile_payments WHERE job_id = ? AND frame = ? AND tile = ?")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return Optional.empty();
                }
            }
        }
        String worker = Accounts.worker(workerId);
        open(c, worker);
        long fee = networkFee(price);
        long net = price - fee;
        List<Posting> postings = new ArrayList<>();
        postings.add(new Posting(escrow, -price));
        if (net > 0) {
            postings.add(new Posting(worker, net));
        }
        if (fee > 0) {
            postings.add(new Posting(Accounts.FEES, fee));
        }
        long entryId = post(c, EntryKind.TILE_PAYMENT, jobId, "tile " + frame + "/" + tile + " attempt " + attempt, postings);
        // the UNIQUE constraint is the last word should another path ever skip the escrow lock
        try (PreparedStatement s = c.prepareStatement("INSERT INTO tile_payments (job_id, frame, tile, attempt, worker_id, amount, fee, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            s.setInt(4, attempt);
            s.setString(5, workerId);
            s.setLong(6, net);
            s.setLong(7, fee);
            s.setLong(8, entryId);
            s.executeUpdate();
        }
        return Optional.of(new TilePayment(jobId, frame, tile, attempt, workerId, net, fee));
    }

    /** Returns what is left in the job's escrow to {@code artistAccount}; the amount refunded (maybe zero). */
    public long refundEscrow(Connection c, String jobId, String artistAccount) throws SQLException {
        String escrow = Accounts.escrow(jobId);
        long left = lockAndBalance(c, escrow);
        if (left <= 0) {
            return 0;
        }
        transfer(c, EntryKind.REFUND, jobId, "unused escrow", escrow, artistAccount, left);
        return left;
    }

    public List<TilePayment> payments(Connection c, String jobId) throws SQLException {
        List<TilePayment> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT frame, tile, attempt, worker_id, amount, fee FROM tile_payments WHERE job_id = ? ORDER BY frame, tile")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new TilePayment(jobId, r.getInt(1), r.getInt(2), r.getInt(3), r.getString(4), r.getLong(5), r.getLong(6)));
                }
            }
        }
        return out;
    }

    /** Totals for one job: escrowed, paid to workers, fees, refunded. */
    public JobLedger jobLedger(Connection c, String jobId) throws SQLException {
        long escrowed = 0;
        long refunded = 0;
        try (PreparedStatement s = c.prepareStatement("""
                SELECT e.kind, COALESCE(SUM(p.amount), 0) FROM ledger_entries e
                JOIN ledger_postings p ON p.entry_id = e.id AND p.account = ?
                WHERE e.job_id = ? AND e.kind IN ('ESCROW', 'REFUND') GROUP BY e.kind""")) {
            s.setString(1, Accounts.escrow(jobId));
            s.setString(2, jobId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (r.getString(1).equals("ESCROW")) {
                        escrowed = r.getLong(2);
                    } else {
                        refunded = -r.getLong(2);
                    }
                }
            }
        }
        long paid = 0;
        long fees = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(amount), 0), COALESCE(SUM(fee), 0) FROM tile_payments WHERE job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                paid = r.getLong(1);
                fees = r.getLong(2);
            }
        }
        return new JobLedger(escrowed, paid, fees, refunded, balance(c, Accounts.escrow(jobId)));
    }

    /** A job's money: {@code escrowed = paid + fees + refunded + held}. */
    public record JobLedger(long escrowed, long paid, long fees, long refunded, long held) {
    }
}
