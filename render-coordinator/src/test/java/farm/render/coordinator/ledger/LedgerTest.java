package farm.render.coordinator.ledger;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.testing.FarmServices;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger against the real PostgreSQL from the local stack. */
@QuarkusTest
@WithTestResource(FarmServices.class)
class LedgerTest {
    @Inject
    Transactions tx;
    @Inject
    Ledger ledger;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    farm.render.coordinator.identity.CoordinatorKeys keys;

    private long balanceOf(String account) {
        return tx.<Long>inTransaction(c -> ledger.balance(c, account));
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void everyEntryBalancesAndAllPostingsSumToZero() throws SQLException {
        String artist = Accounts.artist(unique("a"));
        String job = unique("job-");
        tx.inTransaction(c -> ledger.openArtist(c, artist, 1_000));
        tx.inTransaction(c -> {
            ledger.open(c, Accounts.escrow(job));
            return ledger.transfer(c, EntryKind.ESCROW, job, "quote", artist, Accounts.escrow(job), 600);
        });
        assertThat(balanceOf(artist)).isEqualTo(400);
        assertThat(balanceOf(Accounts.escrow(job))).isEqualTo(600);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT COALESCE(SUM(amount), 0) FROM ledger_postings")) {
                r.next();
                assertThat(r.getLong(1)).isZero();
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM (SELECT entry_id FROM ledger_postings GROUP BY entry_id HAVING SUM(amount) <> 0) x")) {
                r.next();
                assertThat(r.getLong(1)).isZero();
            }
        }
    }

    @Test
    void unbalancedPostingsAreRefusedByCodeAndByTheDatabase() {
        String a = unique("artist:u");
        tx.inTransaction(c -> ledger.openArtist(c, a, 100));
        assertThatThrownBy(() -> tx.inTransaction(c -> ledger.post(c, EntryKind.MINT, null, "bad",
                List.of(new Posting(Accounts.MINT, -5), new Posting(a, 4)))))
                .isInstanceOf(IllegalArgumentException.class);
        // bypass the code: the deferred constraint trigger refuses the commit
        assertThatThrownBy(() -> tx.inTransaction(c -> {
            long entry;
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "INSERT INTO ledger_entries (kind, memo) VALUES ('MINT', 'forged') RETURNING id")) {
                r.next();
                entry = r.getLong(1);
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_postings (entry_id, account, amount) VALUES (?, ?, 50)")) {
                s.setLong(1, entry);
                s.setString(2, a);
                s.executeUpdate();
            }
            return null;
        })).hasMessageContaining("unbalanced");
        assertThat(balanceOf(a)).isEqualTo(100);
    }

    @Test
    void noAccountButTheMintGoesNegative() {
        String artist = Accounts.artist(unique("poor"));
        String job = unique("job-");
        tx.inTransaction(c -> ledger.openArtist(c, artist, 500));
        assertThatThrownBy(() -> tx.inTransaction(c -> {
            ledger.open(c, Accounts.escrow(job));
            return ledger.transfer(c, EntryKind.ESCROW, job, "quote", artist, Accounts.escrow(job), 501);
        })).isInstanceOf(InsufficientFundsException.class).hasMessageContaining("holds 500");
        assertThat(balanceOf(artist)).isEqualTo(500);
        assertThat(tx.<Boolean>inTransaction(c -> ledger.exists(c, Accounts.escrow(job)))).isFalse(); // rolled back whole
        assertThat(balanceOf(Accounts.MINT)).isNegative();
    }

    @Test
    void concurrentSpendsNeverOverdraw() throws Exception {
        String artist = Accounts.artist(unique("race"));
        tx.inTransaction(c -> ledger.openArtist(c, artist, 1_000));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> tries = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String job = unique("job-");
            tries.add(pool.submit(() -> {
                try {
                    tx.inTransaction(c -> {
                        ledger.open(c, Accounts.escrow(job));
                        return ledger.transfer(c, EntryKind.ESCROW, job, "quote", artist, Accounts.escrow(job), 300);
                    });
                    return true;
                } catch (InsufficientFundsException e) {
                    return false;
                }
            }));
        }
        int ok = 0;
        for (Future<Boolean> f : tries) {
            ok += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(3);
        assertThat(balanceOf(artist)).isEqualTo(100);
    }

    @Test
    void aTileIsPaidExactlyOnceAndTheRefundIsEscrowMinusPayments() throws Exception {
        String artist = Accounts.artist(unique("pay"));
        String job = unique("job-");
        String escrow = Accounts.escrow(job);
        String gpuA = unique("gpu-a-");
        String gpuB = unique("gpu-b-");
        tx.inTransaction(c -> ledger.openArtist(c, artist, 10_000));
        tx.inTransaction(c -> {
            ledger.open(c, escrow);
            return ledger.transfer(c, EntryKind.ESCROW, job, "quote", artist, escrow, 5_000);
        });
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Callable<Optional<TilePayment>>> same = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            same.add(() -> tx.inTransaction(c -> ledger.payTile(c, job, 0, 7, 1, gpuA, 1_000)));
        }
        long paidCalls = 0;
        for (Future<Optional<TilePayment>> f : pool.invokeAll(same)) {
            paidCalls += f.get().isPresent() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(paidCalls).isEqualTo(1);
        // a later attempt of the same tile is not paid either
        assertThat(tx.<Optional<TilePayment>>inTransaction(c -> ledger.payTile(c, job, 0, 7, 2, gpuB, 1_000))).isEmpty();
        tx.inTransaction(c -> ledger.payTile(c, job, 0, 8, 1, gpuB, 999));
        // the database alone refuses a second payment of a tile in one generation
        assertThatThrownBy(() -> tx.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO tile_payments (job_id, frame, tile, attempt, worker_id, amount, fee,"
                    + " entry_id, generation) SELECT job_id, frame, tile, attempt + 1, worker_id, amount, fee, entry_id, generation"
                    + " FROM tile_payments WHERE job_id = ? AND tile = 7")) {
                s.setString(1, job);
                return s.executeUpdate();
            }
        })).hasMessageContaining("tile_paid_once_per_generation");

        assertThat(tx.<List<TilePayment>>inTransaction(c -> ledger.payments(c, job))).extracting(TilePayment::tile, TilePayment::amount, TilePayment::fee)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7, 950L, 50L), org.assertj.core.groups.Tuple.tuple(8, 950L, 49L));
        assertThat(balanceOf(Accounts.worker(gpuA))).isEqualTo(950);
        assertThat(balanceOf(Accounts.worker(gpuB))).isEqualTo(950);

        long refunded = tx.inTransaction(c -> ledger.refundEscrow(c, job, artist));
        assertThat(refunded).isEqualTo(5_000 - 1_000 - 999);
        assertThat(tx.<Long>inTransaction(c -> ledger.refundEscrow(c, job, artist))).isZero();
        JobLedger totals = tx.inTransaction(c -> ledger.jobLedger(c, job));
        assertThat(totals).isEqualTo(new JobLedger(5_000, 1_900, 99, refunded, 0));
        assertThat(balanceOf(artist)).isEqualTo(10_000 - 1_999);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM tile_payments WHERE job_id = ? AND tile = 7")) {
            s.setString(1, job);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void batchesOfPaymentsFromConcurrentConsumersPayEachTileOnceAndKeepTheChainIntact() throws Exception {
        String artist = Accounts.artist(unique("batch"));
        String job = unique("job-");
        String escrow = Accounts.escrow(job);
        tx.inTransaction(c -> ledger.openArtist(c, artist, 100_000));
        tx.inTransaction(c -> {
            ledger.open(c, escrow);
            return ledger.transfer(c, EntryKind.ESCROW, job, "quote", artist, escrow, 64 * 1_000);
        });
        // four consumers (two replicas' worth) get overlapping batches: every tile twice, some twice within one batch
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<List<TilePayment>>> batches = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            int first = (b % 4) * 16;
            List<TileCharge> charges = new ArrayList<>();
            for (int t = first; t < first + 16; t++) {
                charges.add(new TileCharge(job, 0, t, 1, "gpu-" + (t % 5) + "-" + job, 1_000));
            }
            charges.add(charges.get(3)); // a redelivered verdict inside the same batch
            batches.add(() -> tx.inTransaction(c -> ledger.payTiles(c, charges)));
        }
        long payments = 0;
        for (Future<List<TilePayment>> f : pool.invokeAll(batches)) {
            payments += f.get().size();
        }
        pool.shutdown();
        assertThat(payments).isEqualTo(64);
        assertThat(tx.<List<TilePayment>>inTransaction(c -> ledger.payments(c, job))).hasSize(64)
                .extracting(TilePayment::tile).doesNotHaveDuplicates();
        assertThat(balanceOf(escrow)).isZero();
        long workers = 0;
        for (int w = 0; w < 5; w++) {
            workers += balanceOf(Accounts.worker("gpu-" + w + "-" + job));
        }
        assertThat(workers).isEqualTo(64 * 950);

        List<farm.render.core.ledger.LedgerEntry> entries = new ArrayList<>();
        tx.inTransaction(c -> {
            ledger.export(c, entries::add);
            return null;
        });
        java.security.PublicKey key = farm.render.core.identity.Ed25519.decodePublic(
                keys.ledgerPublicKey());
        assertThat(farm.render.core.ledger.LedgerChain.verify(key, entries)).isInstanceOf(farm.render.core.ledger.ChainCheck.Intact.class);
    }

    @Test
    void aBatchThatWouldOverdrawAnEscrowPaysNothing() {
        String artist = Accounts.artist(unique("over"));
        String job = unique("job-");
        String escrow = Accounts.escrow(job);
        tx.inTransaction(c -> ledger.openArtist(c, artist, 10_000));
        tx.inTransaction(c -> {
            ledger.open(c, escrow);
            return ledger.transfer(c, EntryKind.ESCROW, job, "quote", artist, escrow, 2_500);
        });
        List<TileCharge> charges = List.of(new TileCharge(job, 0, 0, 1, "gpu-x", 1_000),
                new TileCharge(job, 0, 1, 1, "gpu-x", 1_000), new TileCharge(job, 0, 2, 1, "gpu-x", 1_000));
        assertThatThrownBy(() -> tx.inTransaction(c -> ledger.payTiles(c, charges))).isInstanceOf(InsufficientFundsException.class);
        assertThat(balanceOf(escrow)).isEqualTo(2_500);
        assertThat(tx.<List<TilePayment>>inTransaction(c -> ledger.payments(c, job))).isEmpty();
    }
}
