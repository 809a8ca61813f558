package farm.render.coordinator.ledger;

import farm.render.coordinator.identity.CoordinatorKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The whole ledger behind one name, for tests that drive all of it: each call goes to the part that
 * holds its rule ({@link EntryChain}, {@link Balances}, {@link TilePayments}, {@link Slashing},
 * {@link EscrowRefunds}, {@link JobLedgers}). Services inject the one part they need instead.
 */
@ApplicationScoped
public class Ledger {
    private final EntryChain chain;
    private final Balances balances;
    private final TilePayments payments;
    private final Slashing slashing;
    private final EscrowRefunds refunds;
    private final JobLedgers jobs;

    @Inject
    public Ledger(EntryChain chain, Balances balances, TilePayments payments, Slashing slashing, EscrowRefunds refunds, JobLedgers jobs) {
        this.chain = chain;
        this.balances = balances;
        this.payments = payments;
        this.slashing = slashing;
        this.refunds = refunds;
        this.jobs = jobs;
    }

    /** A ledger of its own parts over the same database, as a restarted coordinator builds it. */
    public Ledger(CoordinatorKeys keys, LedgerIntegrity integrity) {
        this(new EntryChain(keys, integrity));
    }

    private Ledger(EntryChain chain) {
        this(chain, new Balances(chain));
    }

    private Ledger(EntryChain chain, Balances balances) {
        this(chain, balances, new TilePayments(chain), new Slashing(chain, balances), new EscrowRefunds(chain), new JobLedgers(balances));
    }

    public boolean open(Connection c, String account) throws SQLException {
        return balances.open(c, account);
    }

    public boolean openArtist(Connection c, String account, long initialGrant) throws SQLException {
        return balances.openArtist(c, account, initialGrant);
    }

    public boolean openWorker(Connection c, String workerId, long devStake) throws SQLException {
        return balances.openWorker(c, workerId, devStake);
    }

    public boolean stakeFromOwner(Connection c, String workerId, String ownerAccount, long stake) throws SQLException {
        return balances.stakeFromOwner(c, workerId, ownerAccount, stake);
    }

    public long balance(Connection c, String account) throws SQLException {
        return balances.balance(c, account);
    }

    public SortedMap<String, Long> balances(Connection c) throws SQLException {
        return balances.balances(c);
    }

    public boolean exists(Connection c, String account) throws SQLException {
        return balances.exists(c, account);
    }

    public long transfer(Connection c, EntryKind kind, String jobId, String memo, String from, String to, long amount) throws SQLException {
        return chain.transfer(c, kind, jobId, memo, from, to, amount);
    }

    public long post(Connection c, EntryKind kind, String jobId, String memo, List<Posting> postings) throws SQLException {
        return chain.post(c, kind, jobId, memo, postings);
    }

    public List<Long> postAll(Connection c, List<EntryDraft> drafts) throws SQLException {
        return chain.postAll(c, drafts);
    }

    public void export(Connection c, EntryChain.EntrySink sink) throws SQLException {
        chain.export(c, sink);
    }

    public void export(Connection c, EntryChain.EntrySink sink, long afterId, long uptoId) throws SQLException {
        chain.export(c, sink, afterId, uptoId);
    }

    public Optional<TilePayment> payTile(Connection c, String jobId, int frame, int tile, int attempt, String workerId, long price) throws SQLException {
        return payments.payTile(c, jobId, frame, tile, attempt, workerId, price);
    }

    public List<TilePayment> payTiles(Connection c, List<TileCharge> charges) throws SQLException {
        return payments.payTiles(c, charges);
    }

    public Optional<Long> slash(Connection c, String jobId, int frame, int tile, int attempt, String workerId) throws SQLException {
        return slashing.slash(c, jobId, frame, tile, attempt, workerId);
    }

    public long refundEscrow(Connection c, String jobId, String artistAccount) throws SQLException {
        return refunds.refundEscrow(c, jobId, artistAccount);
    }

    public List<TilePayment> payments(Connection c, String jobId) throws SQLException {
        return jobs.payments(c, jobId);
    }

    public JobLedger jobLedger(Connection c, String jobId) throws SQLException {
        return jobs.jobLedger(c, jobId);
    }
}
