package farm.render.coordinator.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What a peer check moves: the checking peer's verification fee from the job's escrow (once per check), and a slash of
 * a peer that reported pixels it did not render (once per check and peer). The primary key of
 * {@code peer_check_postings} is the last word on "once", inside the caller's transaction.
 */
@ApplicationScoped
public class PeerCheckPostings {
    private final EntryChain chain;
    private final Slashing slashing;

    public PeerCheckPostings(EntryChain chain, Slashing slashing) {
        this.chain = chain;
        this.slashing = slashing;
    }

    /**
     * Pays the peer {@code fee} from the job's escrow (at most what the escrow holds); empty when this peer was paid for this
     * check before or nothing is left. A check pays one peer, or two when a third peer settled a dispute they were right in.
     */
    public Optional<Long> payFee(Connection c, long checkId, String jobId, int frame, int tile, String peerId, long fee)
            throws SQLException {
        String escrow = Accounts.escrow(jobId);
        long held = Balances.lockAndBalance(c, escrow);
        if (posted(c, checkId, "FEE", peerId)) {
            return Optional.empty();
        }
        long amount = Math.min(fee, held);
        if (amount <= 0) {
            return Optional.empty();
        }
        Balances.openAll(c, List.of(Accounts.worker(peerId)));
        long entry = chain.transfer(c, EntryKind.VERIFICATION_FEE, jobId,
                "peer check " + checkId + " of tile " + frame + "/" + tile + " by " + peerId,
                escrow, Accounts.worker(peerId), amount);
        record(c, checkId, "FEE", peerId, jobId, amount, entry);
        return Optional.of(amount);
    }

    /** Takes {@link Slashing#SLASH_PERCENT} of a lying peer's stake to the network; empty when taken before or no stake. */
    public Optional<Long> slashPeer(Connection c, long checkId, String jobId, String peerId) throws SQLException {
        Optional<Slashing.Taken> taken = slashing.take(c, peerId, jobId, "peer check " + checkId + ": pixels not rendered",
                con -> posted(con, checkId, "SLASH", peerId));
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        record(c, checkId, "SLASH", peerId, jobId, taken.get().amount(), taken.get().entryId());
        return Optional.of(taken.get().amount());
    }

    /** Verification fees paid from a job's escrow so far. */
    public static long feesPaid(Connection c, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COALESCE(sum(amount), 0) FROM peer_check_postings WHERE job_id = ? AND kind = 'FEE'")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static boolean posted(Connection c, long checkId, String kind, String workerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM peer_check_postings WHERE check_id = ? AND kind = ? AND (?::text IS NULL OR worker_id = ?)")) {
            s.setLong(1, checkId);
            s.setString(2, kind);
            s.setString(3, workerId);
            s.setString(4, workerId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static void record(Connection c, long checkId, String kind, String workerId, String jobId, long amount, long entry)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO peer_check_postings (check_id, kind, worker_id, job_id, amount, entry_id) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, checkId);
            s.setString(2, kind);
            s.setString(3, workerId);
            s.setString(4, jobId);
            s.setLong(5, amount);
            s.setLong(6, entry);
            s.executeUpdate();
        }
    }
}
