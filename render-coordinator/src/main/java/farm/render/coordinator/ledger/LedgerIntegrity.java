package farm.render.coordinator.ledger;

import farm.render.coordinator.Transactions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the ledger still proves what it says. The cached balances ({@code accounts.balance}, which
 * escrow trusts) are compared with the sums of the postings at start and every
 * {@code farm.ledger.balance-check-interval}; the checkpointer reports whether the chain since the last
 * checkpoint holds. While either fails, no new escrow is taken (503 {@code ledger-integrity}), the log
 * says ERROR at every check, the {@code ledger-integrity} health check is DOWN and the gauge
 * {@code farm_ledger_integrity} is 0. A later check that finds everything in order lifts it.
 */
@ApplicationScoped
public class LedgerIntegrity {
    private static final Logger LOG = Logger.getLogger(LedgerIntegrity.class);
    /** Mismatches named in the log and the health check; the count is exact. */
    private static final int NAMED = 20;

    /** A cached balance that is not the sum of the account's postings. */
    public record Mismatch(String account, long cached, long derived) {
        @Override
        public String toString() {
            return account + " caches " + cached + " but its postings sum to " + derived;
        }
    }

    /** One balance check: the accounts that differ (at most {@link #NAMED} named), how many, and what it took. */
    public record BalanceCheck(List<Mismatch> mismatches, long count, long accounts, Duration took) {
    }

    private final Transactions tx;
    private final Duration interval;
    private final Timer checkTimer;
    private volatile BalanceCheck lastCheck;
    private volatile String chainProblem;
    private ScheduledExecutorService scheduler;

    public LedgerIntegrity(Transactions tx, MeterRegistry registry, LedgerConfig config) {
        this.tx = tx;
        this.interval = config.balanceCheckInterval();
        Gauge.builder("farm.ledger.integrity", this, i -> i.problem().isEmpty() ? 1 : 0)
                .description("1 while cached balances equal the postings and the chain holds; 0 stops escrow").register(registry);
        Gauge.builder("farm.ledger.balance.mismatches", this, i -> i.lastCheck == null ? 0 : i.lastCheck.count())
                .description("accounts whose cached balance differs from the sum of their postings").register(registry);
        this.checkTimer = Timer.builder("farm.ledger.balance.check").description("time to compare every cached balance with its postings")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        checkBalances();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-balance-check");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void checkQuietly() {
        try {
            checkBalances();
        } catch (RuntimeException e) {
            // the database may be away for a moment: the last verdict stands until a check completes
            LOG.warnf("ledger balance check did not run: %s", e.getMessage());
        }
    }

    /** Compares every cached balance with the sum of its postings, in one statement (one snapshot). */
    public BalanceCheck checkBalances() {
        long start = System.nanoTime();
        BalanceCheck check = tx.inTransaction(c -> {
            List<Mismatch> found = new ArrayList<>();
            long count = 0;
            long accounts = 0;
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT a.id, a.balance, COALESCE(p.total, 0), count(*) OVER () AS accounts
                    FROM accounts a LEFT JOIN (SELECT account, SUM(amount) AS total FROM ledger_postings GROUP BY account) p
                      ON p.account = a.id
                    ORDER BY (a.balance = COALESCE(p.total, 0)), a.id""")) {
                s.setFetchSize(1000);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        accounts = r.getLong(4);
                        long cached = r.getLong(2);
                        java.math.BigDecimal derived = r.getBigDecimal(3);
                        if (derived.compareTo(java.math.BigDecimal.valueOf(cached)) == 0) {
                            break; // mismatches sort first
                        }
                        count++;
                        if (found.size() < NAMED) {
                            found.add(new Mismatch(r.getString(1), cached, derived.longValue()));
                        }
                    }
                }
            }
            return new BalanceCheck(List.copyOf(found), count, accounts, Duration.ofNanos(System.nanoTime() - start));
        });
        checkTimer.record(check.took());
        BalanceCheck before = lastCheck;
        lastCheck = check;
        if (check.count() > 0) {
            LOG.errorf("LEDGER INTEGRITY: %d of %d cached balances differ from their postings (%s); escrow is refused until they agree",
                    check.count(), check.accounts(), check.mismatches());
        } else if (before != null && before.count() > 0) {
            LOG.infof("ledger balances agree with their postings again (%d accounts); escrow resumes", check.accounts());
        }
        return check;
    }

    /** The checkpointer found the chain since the last checkpoint broken ({@code why}), or whole again (null). */
    public void chain(String why) {
        String before = chainProblem;
        chainProblem = why;
        if (why != null) {
            LOG.errorf("LEDGER INTEGRITY: %s; escrow is refused and no checkpoint is published until it holds", why);
        } else if (before != null) {
            LOG.info("the ledger chain holds again; escrow resumes");
        }
    }

    /** What is wrong with the ledger now, if anything. */
    public Optional<String> problem() {
        BalanceCheck check = lastCheck;
        List<String> problems = new ArrayList<>(2);
        if (check != null && check.count() > 0) {
            problems.add(check.count() + " cached balance" + (check.count() == 1 ? " differs" : "s differ")
                    + " from the postings (" + check.mismatches().get(0) + (check.count() > 1 ? ", …" : "") + ")");
        }
        String chain = chainProblem;
        if (chain != null) {
            problems.add(chain);
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    public Optional<BalanceCheck> lastCheck() {
        return Optional.ofNullable(lastCheck);
    }

    /** @throws LedgerIntegrityException while the ledger does not prove its balances */
    public void requireEscrowAllowed() {
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            throw new LedgerIntegrityException(problem.get());
        }
    }
}
