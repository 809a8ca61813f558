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
import java.util.List;
import java.util.Map;

/**
 * The ledger's hash chain: every entry is posted inside the caller's transaction, its postings summing
 * to zero and no account but {@code mint} going below zero, checked under {@code SELECT … FOR UPDATE}
 * on the accounts it touches (and by the database's own constraints). Every entry is chained to the one
 * before by hash and signed with the coordinator's ledger key under a lock on the chain head, so entries
 * are sealed one at a time, in id order. No new escrow is taken while {@link LedgerIntegrity} finds
 * cached balances that differ from the postings.
 */
@ApplicationScoped
public class EntryChain {
    private final CoordinatorKeys keys;
    private final LedgerIntegrity integrity;

    public EntryChain(CoordinatorKeys keys, LedgerIntegrity integrity) {
        this.keys = keys;
        this.integrity = integrity;
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
        Map<String, Long> balances = Balances.lockAccounts(c, drafts.stream().flatMap(d -> d.postings().stream()).map(Posting::account).toList());
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
}
