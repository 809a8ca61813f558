package farm.render.coordinator.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;

/** What a job's escrow gives back when the job ends, fails or is cancelled: all that is left, to its artist. */
@ApplicationScoped
public class EscrowRefunds {
    private final EntryChain chain;

    public EscrowRefunds(EntryChain chain) {
        this.chain = chain;
    }

    /** Returns what is left in the job's escrow to {@code artistAccount}; the amount refunded (maybe zero). */
    public long refundEscrow(Connection c, String jobId, String artistAccount) throws SQLException {
        String escrow = Accounts.escrow(jobId);
        long left = Balances.lockAndBalance(c, escrow);
        if (left <= 0) {
            return 0;
        }
        chain.transfer(c, EntryKind.REFUND, jobId, "unused escrow", escrow, artistAccount, left);
        return left;
    }
}
