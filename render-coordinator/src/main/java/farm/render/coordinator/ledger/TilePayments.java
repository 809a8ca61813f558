package farm.render.coordinator.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When and how a verified tile is paid: from its job's escrow, once per (job, frame, tile, generation),
 * the worker its price less the network's fee; inside the caller's transaction.
 */
@ApplicationScoped
public class TilePayments {
    /** The network's share of each tile payment, in percent (rounded down, so the worker keeps the remainder). */
    public static final int NETWORK_FEE_PERCENT = 5;

    private final EntryChain chain;

    public TilePayments(EntryChain chain) {
        this.chain = chain;
    }

    public static long networkFee(long price) {
        return Math.multiplyExact(price, NETWORK_FEE_PERCENT) / 100;
    }

    /**
     * Pays a verified tile from the job's escrow: the worker gets {@code price} minus the network fee,
     * the fee account the rest. Exactly once per (job, frame, tile) of the frame's first generation: a
     * second call returns empty.
     */
    public Optional<TilePayment> payTile(Connection c, String jobId, int frame, int tile, int attempt, String workerId, long price) throws SQLException {
        return payTiles(c, List.of(new TileCharge(jobId, frame, tile, attempt, workerId, price))).stream().findFirst();
    }

    /**
     * Pays verified tiles as {@link #payTile} does, one entry each, all under one lock of the chain
     * head: a tile paid before in the same generation, or named twice, is paid once. Returns the payments
     * made, in order.
     */
    public List<TilePayment> payTiles(Connection c, List<TileCharge> charges) throws SQLException {
        if (charges.isEmpty()) {
            return List.of();
        }
        // locking the escrows serialises all payments of these jobs, so the check below is race-free
        Balances.lockAccounts(c, charges.stream().map(t -> Accounts.escrow(t.jobId())).toList());
        Set<TileKey> paid = paidAmong(c, charges);
        List<TileCharge> due = new ArrayList<>(charges.size());
        for (TileCharge t : charges) {
            if (paid.add(new TileKey(t.jobId(), t.frame(), t.tile(), t.generation()))) {
                due.add(t);
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        Balances.openAll(c, due.stream().map(t -> Accounts.worker(t.workerId())).toList());
        List<EntryDraft> drafts = new ArrayList<>(due.size());
        List<TilePayment> payments = new ArrayList<>(due.size());
        for (TileCharge t : due) {
            long fee = networkFee(t.price());
            long net = t.price() - fee;
            List<Posting> postings = new ArrayList<>(3);
            postings.add(new Posting(Accounts.escrow(t.jobId()), -t.price()));
            if (net > 0) {
                postings.add(new Posting(Accounts.worker(t.workerId()), net));
            }
            if (fee > 0) {
                postings.add(new Posting(Accounts.FEES, fee));
            }
            String memo = "tile " + t.frame() + "/" + t.tile() + " attempt " + t.attempt()
                    + (t.generation() > 1 ? " generation " + t.generation() : "");
            drafts.add(new EntryDraft(EntryKind.TILE_PAYMENT, t.jobId(), memo, postings));
            payments.add(new TilePayment(t.jobId(), t.frame(), t.tile(), t.generation(), t.attempt(), t.workerId(), net, fee));
        }
        List<Long> entryIds = chain.postAll(c, drafts);
        // the UNIQUE constraint is the last word should another path ever skip the escrow lock
        try (PreparedStatement s = c.prepareStatement("INSERT INTO tile_payments (job_id, frame, tile, attempt, worker_id, amount, fee, entry_id, generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < payments.size(); i++) {
                TilePayment p = payments.get(i);
                s.setString(1, p.jobId());
                s.setInt(2, p.frame());
                s.setInt(3, p.tile());
                s.setInt(4, p.attempt());
                s.setString(5, p.workerId());
                s.setLong(6, p.amount());
                s.setLong(7, p.fee());
                s.setLong(8, entryIds.get(i));
                s.setInt(9, p.generation());
                s.addBatch();
            }
            s.executeBatch();
        }
        return payments;
    }

    private record TileKey(String jobId, int frame, int tile, int generation) {
    }

    /** The tiles among {@code charges} that already have a payment in the charge's generation. */
    private static Set<TileKey> paidAmong(Connection c, List<TileCharge> charges) throws SQLException {
        Set<TileKey> paid = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT p.job_id, p.frame, p.tile, p.generation FROM tile_payments p
                JOIN unnest(?::text[], ?::integer[], ?::integer[], ?::integer[]) AS q (job_id, frame, tile, generation)
                  ON p.job_id = q.job_id AND p.frame = q.frame AND p.tile = q.tile AND p.generation = q.generation""")) {
            s.setArray(1, c.createArrayOf("text", charges.stream().map(TileCharge::jobId).toArray()));
            s.setArray(2, c.createArrayOf("integer", charges.stream().map(TileCharge::frame).toArray()));
            s.setArray(3, c.createArrayOf("integer", charges.stream().map(TileCharge::tile).toArray()));
            s.setArray(4, c.createArrayOf("integer", charges.stream().map(TileCharge::generation).toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    paid.add(new TileKey(r.getString(1), r.getInt(2), r.getInt(3), r.getInt(4)));
                }
            }
        }
        return paid;
    }
}
