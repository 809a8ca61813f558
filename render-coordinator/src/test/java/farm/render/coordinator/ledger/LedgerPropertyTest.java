package farm.render.coordinator.ledger;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.coordinator.testing.FarmServices;
import farm.render.core.identity.Ed25519;
import farm.render.core.ledger.ChainCheck;
import farm.render.core.ledger.LedgerChain;
import farm.render.core.ledger.LedgerEntry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings (seeded) of submit, pay, slash, refund and cancel on the real PostgreSQL, with
 * every message delivered twice (the duplicate raced on a second thread) and a coordinator restart
 * (a new Ledger and key holder on the same database) in the middle of each run. After each run:
 * money is conserved but for the mint, no balance but the mint's is negative, each tile is paid at
 * most once, every job's escrow settles to zero, and the whole chain verifies.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class LedgerPropertyTest {
    static final int RUNS = 25;
    static final int OPS = 60;

    @Inject
    Transactions tx;
    @Inject
    Ledger injected;
    @Inject
    LedgerIntegrity integrity;
    @Inject
    farm.render.coordinator.identity.CoordinatorKeys keys;

    /** What the model knows of one job. */
    static final class JobModel {
        final String id;
        final int tiles;
        final long price;
        boolean submitted;
        boolean ended;
        final Set<Integer> paid = new HashSet<>();

        JobModel(String id, int tiles, long price) {
            this.id = id;
            this.tiles = tiles;
            this.price = price;
        }
    }

    @Test
    void invariantsHoldUnderRandomInterleavingsDuplicatesAndARestart() throws Exception {
        ExecutorService twin = Executors.newFixedThreadPool(2);
        try {
            for (int run = 0; run < RUNS; run++) {
                runOnce(new Random(1000L + run), twin);
            }
        } finally {
            twin.shutdownNow();
        }
        assertChainIntact();
    }

    private void runOnce(Random random, ExecutorService twin) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String artist = Accounts.artist("prop-" + tag);
        long grant = 1_000_000;
        List<String> workers = List.of("pw1-" + tag, "pw2-" + tag, "pw3-" + tag);
        long stake = 10_000;
        Ledger[] ledger = {injected};
        tx.inTransaction(c -> ledger[0].openArtist(c, artist, grant));
        for (String w : workers) {
            tx.inTransaction(c -> ledger[0].openWorker(c, w, stake));
        }
        long minted = grant + stake * workers.size();
        List<JobModel> jobs = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            jobs.add(new JobModel("pj" + j + "-" + tag, 2 + random.nextInt(5), 100 + random.nextInt(900)));
        }
        Map<String, Integer> attempts = new HashMap<>();
        for (int op = 0; op < OPS; op++) {
            if (op == OPS / 2) {
                ledger[0] = new Ledger(new CoordinatorKeys(keys.dir()), integrity); // a coordinator restart: fresh state, same database and key files
            }
            Ledger l = ledger[0];
            JobModel job = jobs.get(random.nextInt(jobs.size()));
            String worker = workers.get(random.nextInt(workers.size()));
            int tile = random.nextInt(job.tiles);
            int kind = random.nextInt(10);
            Runnable action;
            if (!job.submitted || kind == 0) {
                action = () -> tx.inTransaction(c -> {
                    // submit is keyed by the escrow account: a duplicate finds it open and escrows nothing more
                    if (l.open(c, Accounts.escrow(job.id))) {
                        l.transfer(c, EntryKind.ESCROW, job.id, "quote", artist, Accounts.escrow(job.id), job.tiles * job.price);
                    }
                    return null;
                });
                job.submitted = true;
            } else if (kind <= 5) {
                int attempt = attempts.merge(job.id + "/" + tile, 0, Integer::sum) + 1;
                action = () -> tryTx(() -> tx.inTransaction(c -> l.payTile(c, job.id, 0, tile, attempt, worker, job.price)));
            } else if (kind <= 7) {
                int attempt = attempts.merge(job.id + "/" + tile, 1, Integer::sum);
                action = () -> tx.inTransaction(c -> l.slash(c, job.id, 0, tile, attempt, worker));
            } else if (kind == 8) {
                action = () -> tx.inTransaction(c -> l.refundEscrow(c, job.id, artist)); // job end
                job.ended = true;
            } else {
                action = () -> tx.inTransaction(c -> l.refundEscrow(c, job.id, artist)); // cancel
                job.ended = true;
            }
            // every message twice: once here, once raced on another thread
            Future<?> a = twin.submit(action);
            Future<?> b = twin.submit(action);
            a.get();
            b.get();
        }
        for (JobModel job : jobs) {
            if (job.submitted) {
                tx.inTransaction(c -> injected.refundEscrow(c, job.id, artist));
            }
        }
        assertInvariants(artist, workers, jobs, minted);
    }

    private static void tryTx(Runnable r) {
        try {
            r.run();
        } catch (InsufficientFundsException e) {
            // paying from an escrow already refunded (a verdict after the cancel): refused, nothing posted
        }
    }

    private void assertInvariants(String artist, List<String> workers, List<JobModel> jobs, long minted) {
        tx.inTransaction(c -> {
            List<String> accounts = new ArrayList<>(List.of(artist));
            for (String w : workers) {
                accounts.add(Accounts.worker(w));
                accounts.add(Accounts.stake(w));
            }
            long total = 0;
            for (String a : accounts) {
                long b = injected.balance(c, a);
                assertThat(b).as("balance of %s", a).isNotNegative();
                total += b;
            }
            long fees = 0;
            for (JobModel job : jobs) {
                String escrow = Accounts.escrow(job.id);
                assertThat(injected.balance(c, escrow)).as("escrow of %s settles to zero", job.id).isZero();
                JobLedger jl = injected.jobLedger(c, job.id);
                assertThat(jl.escrowed()).isEqualTo(jl.paid() + jl.fees() + jl.refunded());
                fees += jl.fees();
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT tile, count(*) FROM tile_payments WHERE job_id = ? GROUP BY tile HAVING count(*) > 1")) {
                    s.setString(1, job.id);
                    try (ResultSet r = s.executeQuery()) {
                        assertThat(r.next()).as("a tile of %s paid twice", job.id).isFalse();
                    }
                }
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM ledger_entries WHERE job_id = ? AND kind = 'TILE_PAYMENT'")) {
                    s.setString(1, job.id);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        assertThat(r.getLong(1)).isEqualTo(injected.payments(c, job.id).size()).isLessThanOrEqualTo(job.tiles);
                    }
                }
            }
            long slashed = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(amount), 0) FROM tile_slashes WHERE worker_id = ANY (?)")) {
                s.setArray(1, c.createArrayOf("text", workers.toArray()));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    slashed = r.getLong(1);
                }
            }
            // what was minted for this run is all still here, but for what went to the network (fees, slashes)
            assertThat(total + fees + slashed).as("money is conserved but for the mint").isEqualTo(minted);
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT count(*) FROM accounts a WHERE (a.id <> 'mint' AND a.balance < 0)
                       OR a.balance <> COALESCE((SELECT SUM(amount) FROM ledger_postings p WHERE p.account = a.id), 0)""");
                 ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getLong(1)).as("accounts negative or out of step with their postings").isZero();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(amount), 0) FROM ledger_postings");
                 ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getLong(1)).as("all postings sum to zero").isZero();
            }
            return null;
        });
    }

    private void assertChainIntact() {
        List<LedgerEntry> entries = new ArrayList<>();
        tx.inTransaction(c -> {
            injected.export(c, entries::add);
            return null;
        });
        ChainCheck check = LedgerChain.verify(Ed25519.decodePublic(new CoordinatorKeys(keys.dir()).ledgerPublicKey()), entries);
        assertThat(check).isInstanceOf(ChainCheck.Intact.class);
    }
}
