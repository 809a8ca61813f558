package farm.render.coordinator.workers;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.ledger.Accounts;
import farm.render.coordinator.ledger.Balances;
import farm.render.coordinator.ledger.InsufficientFundsException;
import farm.render.core.wire.Reputation;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/**
 * Workers, their public keys and their standing. Registration is idempotent for the same key and
 * refused for another (an id is its key's); a new worker's stake is moved from its owner's account, once
 * per worker id, so each new id costs its owner {@code farm.workers.stake}.
 * Reputation is computed from the verdict history: passes and attributable fails, each weighted by
 * 2^(-age / half-life).
 */
@ApplicationScoped
public class WorkerRegistry {
    /** The outcome of a registration. */
    public sealed interface Registration {
    }

    public record Registered(WorkerStanding standing, boolean created) implements Registration {
    }

    public record KeyConflict(String workerId) implements Registration {
    }

    /** The owner's account cannot pay a new worker's stake; nothing was registered. */
    public record StakeUnpaid(String ownerAccount, long balance, long stake) implements Registration {
    }

    private final Transactions tx;
    private final Balances balances;
    private final long stake;
    private final double halfLifeSeconds;

    public WorkerRegistry(Transactions tx, Balances balances, FarmConfig config) {
        this.tx = tx;
        this.balances = balances;
        this.stake = config.workers().stake();
        this.halfLifeSeconds = config.workers().reputationHalfLife().toSeconds();
    }

    /** Registers the worker for its owner (an {@code artist:NAME} ledger account), who pays a new worker's stake. */
    public Registration register(String workerId, String publicKey, String ownerAccount) {
        try {
            return registerPaying(workerId, publicKey, ownerAccount);
        } catch (InsufficientFundsException e) {
            return new StakeUnpaid(ownerAccount, e.balance(), stake);
        }
    }

    private Registration registerPaying(String workerId, String publicKey, String ownerAccount) {
        return tx.inTransaction(c -> {
            boolean created;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO workers (id, public_key) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, workerId);
                s.setString(2, publicKey);
                created = s.executeUpdate() == 1;
            }
            if (!created && !publicKey.equals(find(c, workerId).map(WorkerStanding::publicKey).orElse(null))) {
                return new KeyConflict(workerId);
            }
            balances.stakeFromOwner(c, workerId, ownerAccount, stake);
            return new Registered(find(c, workerId).orElseThrow(), created);
        });
    }

    public Optional<WorkerStanding> find(String workerId) {
        return tx.inTransaction(c -> find(c, workerId));
    }

    public Optional<WorkerStanding> find(Connection c, String workerId) throws SQLException {
        String key;
        Optional<DeviceReport> device;
        try (PreparedStatement s = c.prepareStatement("SELECT public_key, " + DEVICE_COLUMNS + " FROM workers WHERE id = ?")) {
            s.setString(1, workerId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                key = r.getString(1);
                device = device(r, 2);
            }
        }
        Reputation reputation = reputation(c, workerId, halfLifeSeconds);
        return Optional.of(new WorkerStanding(workerId, key, reputation,
                balances.balance(c, Accounts.stake(workerId)), balances.balance(c, Accounts.worker(workerId)), device));
    }

    private static final String DEVICE_COLUMNS = "device_name, device_paths_per_second, device_renderer, device_reported_at,"
            + " numerical_class";

    /** The device report in the five DEVICE_COLUMNS from column {@code first}; empty before the worker reports one. */
    private static Optional<DeviceReport> device(ResultSet r, int first) throws SQLException {
        Timestamp at = r.getTimestamp(first + 3);
        return at == null ? Optional.empty()
                : Optional.of(new DeviceReport(r.getString(first), r.getDouble(first + 1), r.getString(first + 2), at.toInstant(),
                        r.getString(first + 4)));
    }

    /** Keeps the worker's device report and answers it as stored; empty when no such worker is registered. */
    public Optional<DeviceReport> reportDevice(String workerId, String name, double pathsPerSecond, String rendererVersion) {
        return tx.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE workers SET device_name = ?, device_paths_per_second = ?,"
                    + " device_renderer = ?, device_reported_at = now() WHERE id = ? RETURNING " + DEVICE_COLUMNS)) {
                s.setString(1, name);
                s.setDouble(2, pathsPerSecond);
                s.setString(3, rendererVersion);
                s.setString(4, workerId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? device(r, 1) : Optional.<DeviceReport>empty();
                }
            }
        });
    }

    /** The worker's record at this registry's half-life, in the caller's transaction. */
    public Reputation reputation(Connection c, String workerId) throws SQLException {
        return reputation(c, workerId, halfLifeSeconds);
    }

    /** Decayed pass and attributable-fail counts of the worker's verdicts. */
    public static Reputation reputation(Connection c, String workerId, double halfLifeSeconds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT COALESCE(SUM(w) FILTER (WHERE passed), 0), COALESCE(SUM(w) FILTER (WHERE NOT passed), 0)
                FROM (SELECT passed, power(0.5, GREATEST(0, EXTRACT(EPOCH FROM now() - decided_at)) / ?) AS w
                      FROM tile_attempts WHERE worker_id = ? AND (passed OR attributable)) v""")) {
            s.setDouble(1, halfLifeSeconds);
            s.setString(2, workerId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new Reputation(r.getDouble(1), r.getDouble(2));
            }
        }
    }
}
