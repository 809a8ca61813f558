package farm.render.coordinator.ledger;

import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.core.ledger.LedgerChain;
import farm.render.core.ledger.LedgerEntry;
import farm.render.core.ledger.LedgerPosting;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The double-entry ledger. Every method runs inside the caller's transaction: an entry's postings
 * sum to zero, balances are sums of postings, and no account but {@code mint} goes below zero,
 * checked under {@code SELECT … FOR UPDATE} on the accounts it touches (and by the database's own
 * constraints). Every entry is chained to the one before by hash and signed with the coordinator's
 * ledger key under a lock on the chain head, so entries are sealed one at a time, in id order. No new
 * escrow is taken while {@link LedgerIntegrity} finds cached balances that differ from the postings.
 */
@ApplicationScoped
public class Ledger {
    /** The share of a worker's stake a failed verdict takes, in percent (at least one micro-token). */
    public static final int SLASH_PERCENT = 10;

    private final CoordinatorKeys keys;
    private final LedgerIntegrity integrity;

    public Ledger(CoordinatorKeys keys, LedgerIntegrity integrity) {
        this.keys = keys;
        this.integrity = integrity;
    }

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
        return postAll(c, List.of(new EntryDraft(kind, jobId, memo, postings))).get(0);
    }

    /** An entry not yet posted: why money moves, for which job, and its balanced postings. */
    public record EntryDraft(EntryKind kind, String jobId, String memo, List<Posting> postings) {
        public EntryDraft {
            postings = List.copyOf(postings);
            long sum = 0;
            for (Posting p : postings) {
                sum = Math.addExact(sum, p.amount());
            }
            if (sum != 0 || postings.isEmpty()) {
                throw new IllegalArgumentException("postings must sum to zero, not " + sum);
            }
        }
    }

    /**
     * Posts entries in the given order as consecutive links of the chain, under one lock of the chain
     * head and one lock of the accounts they touch; returns their ids in the same order.
     *
     * @throws InsufficientFundsException when an account other than the mint would go negative at any entry
     */
    public List<Long> postAll(Connection c, List<EntryDraft> drafts) throws SQLException {
        if (drafts.isEmpty()) {
            return List.of();
        }
        if (drafts.stream().anyMatch(d -> d.kind() == EntryKind.ESCROW)) {
            integrity.requireEscrowAllowed();
        }
        Map<String, Long> balances = lockAccounts(c, drafts.stream().flatMap(d -> d.postings().stream()).map(Posting::account).toList());
        for (EntryDraft d : drafts) { // each entry must hold on its own, as the database's CHECK sees them one posting at a time
            for (Posting p : d.postings()) {
                long before = balances.get(p.account());
                long after = Math.addExact(before, p.amount());
                if (!p.account().equals(Accounts.MINT) && after < 0) {
                    throw new InsufficientFundsException(p.account(), before, -p.amount());
                }
                balances.put(p.account(), after);
            }
        }
        String prev = lockHead(c);
        List<Long> ids = nextEntryIds(c, drafts.size());
        List<LedgerEntry> unsealed = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            EntryDraft d = drafts.get(i);
            unsealed.add(new LedgerEntry(ids.get(i), d.kind().name(), d.jobId(), d.memo(),
                    d.postings().stream().map(p -> new LedgerPosting(p.account(), p.amount())).toList(), null, null, null));
        }
        List<LedgerEntry> signed = LedgerChain.sealAll(unsealed, prev, keys.ledgerSigning().getPrivate());
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO ledger_entries (id, kind, job_id, memo, prev_hash, entry_hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            for (LedgerEntry e : signed) {
                s.setLong(1, e.id());
                s.setString(2, e.kind());
                s.setString(3, e.jobId());
                s.setString(4, e.memo());
                s.setString(5, e.prevHash());
                s.setString(6, e.hash());
                s.setString(7, e.signature());
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_postings (entry_id, account, amount) VALUES (?, ?, ?)")) {
            for (LedgerEntry e : signed) {
                for (LedgerPosting p : e.postings()) {
                    s.setLong(1, e.id());
                    s.setString(2, p.account());
                    s.setLong(3, p.amount());
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
        LedgerEntry last = signed.get(signed.size() - 1);
        moveHead(c, last.id(), last.hash());
        return ids;
    }

    /** Ids for the next {@code n} entries; taken under the chain-head lock, so id order is chain order. */
    private static List<Long> nextEntryIds(Connection c, int n) throws SQLException {
        List<Long> ids = new ArrayList<>(n);
        try (PreparedStatement s = c.prepareStatement(
                "SELECT nextval(pg_get_serial_sequence('ledger_entries', 'id')) FROM generate_series(1, ?) ORDER BY 1")) {
            s.setInt(1, n);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Locks the accounts (in name order, as every writer does) and returns their balances. */
    private static Map<String, Long> lockAccounts(Connection c, List<String> accounts) throws SQLException {
        TreeSet<String> names = new TreeSet<>(accounts);
        Map<String, Long> balances = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, balance FROM accounts WHERE id = ANY (?) ORDER BY id FOR UPDATE")) {
            s.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    balances.put(r.getString(1), r.getLong(2));
                }
            }
        }
        for (String name : names) {
            if (!balances.containsKey(name)) {
                throw new IllegalStateException("no ledger account " + name);
            }
        }
        return balances;
    }

    private static void moveHead(Connection c, long entryId, String hash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE ledger_head SET last_entry = ?, last_hash = ? WHERE id = 1")) {
            s.setLong(1, entryId);
            s.setString(2, hash);
            s.executeUpdate();
        }
    }

    /** Locks the chain head, seals any entries written before the chain existed, and returns the last hash. */
    private String lockHead(Connection c) throws SQLException {
        String last;
        try (PreparedStatement s = c.prepareStatement("SELECT last_hash FROM ledger_head WHERE id = 1 FOR UPDATE");
             ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw new IllegalStateException("the ledger has no chain head (migration V2 missing)");
            }
            last = r.getString(1);
        }
        List<Long> unsealed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM ledger_entries WHERE entry_hash IS NULL ORDER BY id");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                unsealed.add(r.getLong(1));
            }
        }
        for (long id : unsealed) {
            LedgerEntry e = readEntry(c, id);
            last = seal(c, id, e.kind(), e.jobId(), e.memo(), e.postings(), last);
        }
        return last;
    }

    /** Seals an entry written before the chain existed. */
    private String seal(Connection c, long id, String kind, String jobId, String memo, List<LedgerPosting> postings, String prev) throws SQLException {
        LedgerEntry sealed = LedgerChain.seal(id, kind, jobId, memo, postings, prev, keys.ledgerSigning().getPrivate());
        try (PreparedStatement s = c.prepareStatement("UPDATE ledger_entries SET prev_hash = ?, entry_hash = ?, signature = ? WHERE id = ?")) {
            s.setString(1, sealed.prevHash());
            s.setString(2, sealed.hash());
            s.setString(3, sealed.signature());
            s.setLong(4, id);
            s.executeUpdate();
        }
        moveHead(c, id, sealed.hash());
        return sealed.hash();
    }

    private LedgerEntry readEntry(Connection c, long id) throws SQLException {
        String kind;
        String jobId;
        String memo;
        String prev;
        String hash;
        String sig;
        try (PreparedStatement s = c.prepareStatement("SELECT kind, job_id, memo, prev_hash, entry_hash, signature FROM ledger_entries WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                kind = r.getString(1);
                jobId = r.getString(2);
                memo = r.getString(3);
                prev = r.getString(4);
                hash = r.getString(5);
                sig = r.getString(6);
            }
        }
        List<LedgerPosting> postings = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT account, amount FROM ledger_postings WHERE entry_id = ? ORDER BY id")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    postings.add(new LedgerPosting(r.getString(1), r.getLong(2)));
                }
            }
        }
        return new LedgerEntry(id, kind, jobId, memo, postings, prev, hash, sig);
    }

    /** Every sealed entry in chain order, with its postings, to {@code sink}; one pass over the tables. */
    public void export(Connection c, EntrySink sink) throws SQLException {
        export(c, sink, 0, Long.MAX_VALUE);
    }

    /** The sealed entries with ids in ({@code afterId}, {@code uptoId}], in chain order, to {@code sink}. */
    public void export(Connection c, EntrySink sink, long afterId, long uptoId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT e.id, e.kind, e.job_id, e.memo, e.prev_hash, e.entry_hash, e.signature, p.account, p.amount
                FROM ledger_entries e JOIN ledger_postings p ON p.entry_id = e.id
                WHERE e.entry_hash IS NOT NULL AND e.id > ? AND e.id <= ? ORDER BY e.id, p.id""")) {
            s.setLong(1, afterId);
            s.setLong(2, uptoId);
            s.setFetchSize(1000);
            try (ResultSet r = s.executeQuery()) {
                LedgerEntry current = null;
                List<LedgerPosting> postings = new ArrayList<>();
                while (r.next()) {
                    long id = r.getLong(1);
                    if (current != null && current.id() != id) {
                        sink.accept(withPostings(current, postings));
                        postings = new ArrayList<>();
                    }
                    if (current == null || current.id() != id) {
                        current = new LedgerEntry(id, r.getString(2), r.getString(3), r.getString(4), List.of(),
                                r.getString(5), r.getString(6), r.getString(7));
                    }
                    postings.add(new LedgerPosting(r.getString(8), r.getLong(9)));
                }
                if (current != null) {
                    sink.accept(withPostings(current, postings));
                }
            }
        }
    }

    private static LedgerEntry withPostings(LedgerEntry e, List<LedgerPosting> postings) {
        return new LedgerEntry(e.id(), e.kind(), e.jobId(), e.memo(), postings, e.prevHash(), e.hash(), e.signature());
    }

    /** Where exported entries go. */
    @FunctionalInterface
    public interface EntrySink {
        void accept(LedgerEntry entry) throws SQLException;
    }

    /**
     * Opens a worker's accounts (earnings and stake) and, in development, mints its stake; true when new.
     */
    public boolean openWorker(Connection c, String workerId, long devStake) throws SQLException {
        open(c, Accounts.worker(workerId));
        if (!open(c, Accounts.stake(workerId))) {
            return false;
        }
        if (devStake > 0) {
            post(c, EntryKind.MINT, null, "development stake for " + workerId,
                    List.of(new Posting(Accounts.MINT, -devStake), new Posting(Accounts.stake(workerId), devStake)));
        }
        return true;
    }

    /**
     * Takes {@link #SLASH_PERCENT} of the worker's stake to the network for a failed (job, frame, tile,
     * attempt); at most once per attempt. Returns the amount taken, empty when nothing was.
     */
    public Optional<Long> slash(Connection c, String jobId, int frame, int tile, int attempt, String workerId) throws SQLException {
        String stake = Accounts.stake(workerId);
        if (!exists(c, stake)) {
            return Optional.empty();
        }
        long held = lockAndBalance(c, stake);
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
        long amount = Math.min(held, Math.max(1, Math.multiplyExact(held, SLASH_PERCENT) / 100));
        if (amount <= 0) {
            return Optional.empty();
        }
        long entryId = transfer(c, EntryKind.SLASH, jobId, "failed verdict, tile " + frame + "/" + tile + " attempt " + attempt,
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

    /** Every account's balance as the accounts table caches it, in account order. */
    public java.util.SortedMap<String, Long> balances(Connection c) throws SQLException {
        java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, balance FROM accounts")) {
            s.setFetchSize(1000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return out;
    }

    /** The balance of an account (zero for one that does not exist), without locking. */
    public long balance(Connection c, String account) throws SQLException {
        // accounts.balance is kept equal to the sum of the account's postings by a database trigger
        try (PreparedStatement s = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
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
     * the fee account the rest. Exactly once per (job, frame, tile) of the frame's first generation: a
     * second call returns empty.
     */
    public Optional<TilePayment> payTile(Connection c, String jobId, int frame, int tile, int attempt, String workerId, long price) throws SQLException {
        return payTiles(c, List.of(new TileCharge(jobId, frame, tile, attempt, workerId, price))).stream().findFirst();
    }

    /**
     * A verified tile attempt to be paid {@code price} from its job's escrow; {@code generation} counts
     * the renders of its frame (a rejected frame is rendered again as the next generation).
     */
    public record TileCharge(String jobId, int frame, int tile, int generation, int attempt, String workerId, long price) {
        /** A tile of a frame's first generation. */
        public TileCharge(String jobId, int frame, int tile, int attempt, String workerId, long price) {
            this(jobId, frame, tile, 1, attempt, workerId, price);
        }
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
        lockAccounts(c, charges.stream().map(t -> Accounts.escrow(t.jobId())).toList());
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
        openAll(c, due.stream().map(t -> Accounts.worker(t.workerId())).toList());
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
        List<Long> entryIds = postAll(c, drafts);
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

    /** Opens every account that does not exist yet, in name order. */
    private static void openAll(Connection c, List<String> accounts) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO accounts (id) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING")) {
            s.setArray(1, c.createArrayOf("text", new TreeSet<>(accounts).toArray()));
            s.executeUpdate();
        }
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

    /**
     * Opens a worker's accounts (earnings and stake) and moves {@code stake} from its owner's account into the
     * stake account; only when the stake account is new, so registering the same worker again costs nothing.
     * An ESCROW entry: like a job's quote, the owner's money is held against a promise. True when new.
     *
     * @throws InsufficientFundsException when the owner cannot pay the stake (the caller's transaction rolls back)
     */
    public boolean stakeFromOwner(Connection c, String workerId, String ownerAccount, long stake) throws SQLException {
        open(c, Accounts.worker(workerId));
        if (!open(c, Accounts.stake(workerId))) {
            return false;
        }
        if (stake > 0) {
            open(c, ownerAccount);
            transfer(c, EntryKind.ESCROW, null, "stake of worker " + workerId, ownerAccount, Accounts.stake(workerId), stake);
        }
        return true;
    }
}
