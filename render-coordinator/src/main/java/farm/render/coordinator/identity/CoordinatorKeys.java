package farm.render.coordinator.identity;

import farm.render.coordinator.Transactions;
import farm.render.core.identity.Ed25519;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.KeyPair;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The coordinator's Ed25519 key pair, which signs tasks and ledger entries. The first coordinator to
 * need it generates it and stores it in the database; every replica and restart reads the same key.
 */
@ApplicationScoped
public class CoordinatorKeys {
    private final Transactions tx;
    private volatile KeyPair keys;

    public CoordinatorKeys(Transactions tx) {
        this.tx = tx;
    }

    public KeyPair keys() {
        KeyPair k = keys;
        if (k == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = load();
                }
                k = keys;
            }
        }
        return k;
    }

    public String publicKey() {
        return Ed25519.encodePublic(keys().getPublic());
    }

    private KeyPair load() {
        KeyPair fresh = Ed25519.generate();
        return tx.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO coordinator_identity (id, public_key, private_key) VALUES (1, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, Ed25519.encodePublic(fresh.getPublic()));
                s.setString(2, Ed25519.encodePrivate(fresh.getPrivate()));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT public_key, private_key FROM coordinator_identity WHERE id = 1");
                 ResultSet r = s.executeQuery()) {
                r.next();
                return Ed25519.pair(r.getString(1), r.getString(2));
            }
        });
    }
}
