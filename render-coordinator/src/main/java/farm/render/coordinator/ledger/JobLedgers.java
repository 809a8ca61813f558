package farm.render.coordinator.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the ledger says about one job: its totals and its tile payments; reads only. */
@ApplicationScoped
public class JobLedgers {
    private final Balances balances;

    public JobLedgers(Balances balances) {
        this.balances = balances;
    }

    /** The job's tile payments, by frame, tile and generation. */
    public List<TilePayment> payments(Connection c, String jobId) throws SQLException {
        List<TilePayment> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT frame, tile, generation, attempt, worker_id, amount, fee FROM tile_payments WHERE job_id = ? ORDER BY frame, tile, generation")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new TilePayment(jobId, r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4), r.getString(5), r.getLong(6), r.getLong(7)));
                }
            }
        }
        return out;
    }

    /** Totals for one job: escrowed, paid to workers, fees, refunded, verification fees paid to peers. */
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
        return new JobLedger(escrowed, paid, fees, refunded, balances.balance(c, Accounts.escrow(jobId)),
                PeerCheckPostings.feesPaid(c, jobId));
    }
}
