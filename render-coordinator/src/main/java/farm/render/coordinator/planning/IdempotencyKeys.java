package farm.render.coordinator.planning;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code job_idempotency_keys} table: which job an account's Idempotency-Key created; callers own the transaction. */
public final class IdempotencyKeys {
    /** What a key may be: 1-255 visible ASCII characters (a UUID is the usual choice). */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private IdempotencyKeys() {
    }

    /** The job a key created and the digest of the request that created it. */
    public record Claimed(String jobId, String requestDigest) {
    }

    public static boolean valid(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    public static Optional<Claimed> find(Connection c, String account, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT job_id, request_digest FROM job_idempotency_keys WHERE account = ? AND idempotency_key = ?")) {
            s.setString(1, account);
            s.setString(2, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Claimed(r.getString(1), r.getString(2))) : Optional.empty();
            }
        }
    }

    /** Records the key; a concurrent claim of the same key fails this transaction with a unique violation. */
    public static void claim(Connection c, String account, String key, String requestDigest, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO job_idempotency_keys (account, idempotency_key, request_digest, job_id) VALUES (?, ?, ?, ?)")) {
            s.setString(1, account);
            s.setString(2, key);
            s.setString(3, requestDigest);
            s.setString(4, jobId);
            s.executeUpdate();
        }
    }
}
