package farm.render.coordinator.webhooks;

import farm.render.coordinator.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Each account's webhook signing secret ({@code whsec_…}): made or replaced on request and shown that once.
 * It is kept as is, not hashed, because the coordinator signs every delivery with it.
 */
@ApplicationScoped
public class WebhookSecrets {
    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Transactions tx;

    public WebhookSecrets(Transactions tx) {
        this.tx = tx;
    }

    /** A new secret for the account, replacing any earlier one: deliveries from now on are signed with it. */
    public String rotate(String account) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tx.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO webhook_secrets (account, secret) VALUES (?, ?)
                    ON CONFLICT (account) DO UPDATE SET secret = EXCLUDED.secret, created_at = now()""")) {
                s.setString(1, account);
                s.setString(2, secret);
                s.executeUpdate();
            }
            return null;
        });
        return secret;
    }

    /** When the account's secret was made, or empty when it has none. */
    public Optional<Instant> createdAt(String account) {
        return tx.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT created_at FROM webhook_secrets WHERE account = ?")) {
                s.setString(1, account);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getTimestamp(1).toInstant()) : Optional.empty();
                }
            }
        });
    }

    static Optional<String> secret(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT secret FROM webhook_secrets WHERE account = ?")) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }
}
