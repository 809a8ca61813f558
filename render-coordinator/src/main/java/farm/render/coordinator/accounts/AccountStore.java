package farm.render.coordinator.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code farm_accounts}, {@code account_sessions}, {@code api_tokens}, {@code scene_owners} and {@code worker_owners} tables. */
final class AccountStore {
    private static final String ACCOUNT_COLUMNS = "a.name, a.operator, a.created_at";

    private AccountStore() {
    }

    /** Inserts the account; false when the name is taken. */
    static boolean insert(Connection c, String name, String passwordHash, boolean operator) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO farm_accounts (name, password_hash, operator) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, name);
            s.setString(2, passwordHash);
            s.setBoolean(3, operator);
            return s.executeUpdate() == 1;
        }
    }

    static void makeOperator(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE farm_accounts SET operator = TRUE WHERE name = ? AND NOT operator")) {
            s.setString(1, name);
            s.executeUpdate();
        }
    }

    /** The account and its password hash (null when it has none). */
    record WithPassword(Account account, String passwordHash) {
    }

    static Optional<WithPassword> withPassword(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + ACCOUNT_COLUMNS + ", a.password_hash FROM farm_accounts a WHERE a.name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new WithPassword(account(r), r.getString(4))) : Optional.empty();
            }
        }
    }

    static void insertSession(Connection c, String idHash, String account, Instant expires) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO account_sessions (id_hash, account, expires_at) VALUES (?, ?, ?)")) {
            s.setString(1, idHash);
            s.setString(2, account);
            s.setTimestamp(3, Timestamp.from(expires));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM account_sessions WHERE expires_at < now()")) {
            s.executeUpdate();
        }
    }

    static Optional<Account> bySession(Connection c, String idHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + ACCOUNT_COLUMNS
                + " FROM account_sessions x JOIN farm_accounts a ON a.name = x.account WHERE x.id_hash = ? AND x.expires_at > now()")) {
            s.setString(1, idHash);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(account(r)) : Optional.empty();
            }
        }
    }

    static void deleteSession(Connection c, String idHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM account_sessions WHERE id_hash = ?")) {
            s.setString(1, idHash);
            s.executeUpdate();
        }
    }

    /** The token's account; marks it used (at most once a minute, so reads stay reads). */
    static Optional<Account> byToken(Connection c, String tokenHash) throws SQLException {
        Optional<Account> found;
        try (PreparedStatement s = c.prepareStatement("SELECT " + ACCOUNT_COLUMNS + ", t.id, t.last_used_at"
                + " FROM api_tokens t JOIN farm_accounts a ON a.name = t.account WHERE t.token_hash = ? AND t.revoked_at IS NULL")) {
            s.setString(1, tokenHash);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                found = Optional.of(account(r));
                Timestamp lastUsed = r.getTimestamp(5);
                if (lastUsed != null && lastUsed.toInstant().isAfter(Instant.now().minusSeconds(60))) {
                    return found;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE api_tokens SET last_used_at = now() WHERE token_hash = ?")) {
            s.setString(1, tokenHash);
            s.executeUpdate();
        }
        return found;
    }

    /** Inserts a token; an existing row with the same hash is kept (the bootstrap token on every start). */
    static ApiToken insertToken(Connection c, String account, String name, String tokenHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO api_tokens (account, name, token_hash) VALUES (?, ?, ?)"
                + " ON CONFLICT (token_hash) DO NOTHING")) {
            s.setString(1, account);
            s.setString(2, name);
            s.setString(3, tokenHash);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE token_hash = ?")) {
            s.setString(1, tokenHash);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return token(r);
            }
        }
    }

    static List<ApiToken> tokens(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, name, created_at, last_used_at FROM api_tokens"
                + " WHERE account = ? AND revoked_at IS NULL ORDER BY id")) {
            s.setString(1, account);
            List<ApiToken> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(token(r));
                }
            }
            return out;
        }
    }

    /** Revokes one of the account's tokens; false when it has no such live token. */
    static boolean revokeToken(Connection c, String account, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE api_tokens SET revoked_at = now() WHERE id = ? AND account = ? AND revoked_at IS NULL")) {
            s.setLong(1, id);
            s.setString(2, account);
            return s.executeUpdate() == 1;
        }
    }

    static void claimScene(Connection c, String account, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO scene_owners (account, digest) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, account);
            s.setString(2, digest);
            s.executeUpdate();
        }
    }

    static boolean ownsScene(Connection c, String account, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM scene_owners WHERE account = ? AND digest = ?")) {
            s.setString(1, account);
            s.setString(2, digest);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Binds an unclaimed worker id to {@code account}; answers the id's owner, whoever it is. */
    static String claimWorker(Connection c, String workerId, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO worker_owners (worker_id, account) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, workerId);
            s.setString(2, account);
            s.executeUpdate();
        }
        return workerOwner(c, workerId).orElseThrow();
    }

    static Optional<String> workerOwner(Connection c, String workerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT account FROM worker_owners WHERE worker_id = ?")) {
            s.setString(1, workerId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    private static Account account(ResultSet r) throws SQLException {
        return new Account(r.getString(1), r.getBoolean(2), r.getTimestamp(3).toInstant());
    }

    private static ApiToken token(ResultSet r) throws SQLException {
        Timestamp used = r.getTimestamp(4);
        return new ApiToken(r.getLong(1), r.getString(2), r.getTimestamp(3).toInstant(), used == null ? null : used.toInstant());
    }
}
