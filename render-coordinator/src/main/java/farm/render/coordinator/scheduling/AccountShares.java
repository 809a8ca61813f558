package farm.render.coordinator.scheduling;

import farm.render.coordinator.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.util.Optional;

/** Each account's fair-share weight: what the dispatcher splits a tier's free places by ({@link #DEFAULT} when never set). */
@ApplicationScoped
public class AccountShares {
    public static final int MIN = 1;
    public static final int MAX = 1000;
    public static final int DEFAULT = 1;

    private final Transactions tx;

    public AccountShares(Transactions tx) {
        this.tx = tx;
    }

    /** Why the value cannot be a weight, or empty when it can. */
    public static Optional<String> problem(int weight) {
        return weight < MIN || weight > MAX
                ? Optional.of("weight must be between " + MIN + " and " + MAX + ", not " + weight) : Optional.empty();
    }

    /**
     * Sets the weight of the ledger account {@code artist:NAME} that owns jobs; false when no user NAME exists.
     *
     * @throws IllegalArgumentException when the weight is outside {@link #MIN}-{@link #MAX}
     */
    public boolean set(String account, int weight) {
        problem(weight).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return tx.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO account_shares (account, weight)
                    SELECT ?, ? WHERE EXISTS (SELECT 1 FROM farm_accounts WHERE 'artist:' || name = ?)
                    ON CONFLICT (account) DO UPDATE SET weight = EXCLUDED.weight""")) {
                s.setString(1, account);
                s.setInt(2, weight);
                s.setString(3, account);
                return s.executeUpdate() == 1;
            }
        });
    }
}
