package farm.render.coordinator.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ledger accounts and their balances, inside the caller's transaction: opening artists' and workers'
 * accounts (with their grants and stakes), reading balances, and locking accounts in the one order every
 * writer uses.
 */
@ApplicationScoped
public class Balances {
    private final EntryChain chain;

    public Balances(EntryChain chain) {
        this.chain = chain;
    }

    /** Opens an account if it does not exist; true when it was created now. */
    public boolean open(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO accounts (id) VALUES (?) ON CONFLICT DO NOTHING")) {
            s.setString(1, account);
            return s.executeUpdate() == 1;
        }
    }

    /** Opens every account that does not exist yet, in name order. */
    static void openAll(Connection c, List<String> accounts) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO accounts (id) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING")) {
            s.setArray(1, c.createArrayOf("text", new TreeSet<>(accounts).toArray()));
            s.executeUpdate();
        }
    }

    /** Opens an artist account on first use and mints its initial grant; true when it was new. */
    public boolean openArtist(Connection c, String account, long initialGrant) throws SQLException {
        if (!open(c, account)) {
            return false;
        }
        if (initialGrant > 0) {
            chain.post(c, EntryKind.MINT, null, "initial grant", List.of(new Posting(Accounts.MINT, -initialGrant), new Posting(account, initialGrant)));
        }
        return true;
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
            chain.post(c, EntryKind.MINT, null, "development stake for " + workerId,
                    List.of(new Posting(Accounts.MINT, -devStake), new Posting(Accounts.stake(workerId), devStake)));
        }
        return true;
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
            chain.transfer(c, EntryKind.ESCROW, null, "stake of worker " + workerId, ownerAccount, Accounts.stake(workerId), stake);
        }
        return true;
    }

    /** Every account's balance as the accounts table caches it, in account order. */
    public SortedMap<String, Long> balances(Connection c) throws SQLException {
        SortedMap<String, Long> out = new TreeMap<>();
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
        return read(c, account);
    }

    private static long read(Connection c, String account) throws SQLException {
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

    /** Locks one account and returns its balance. */
    static long lockAndBalance(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM accounts WHERE id = ? FOR UPDATE")) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no ledger account " + account);
                }
            }
        }
        return read(c, account);
    }

    /** Locks the accounts (in name order, as every writer does) and returns their balances. */
    static Map<String, Long> lockAccounts(Connection c, List<String> accounts) throws SQLException {
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
}
