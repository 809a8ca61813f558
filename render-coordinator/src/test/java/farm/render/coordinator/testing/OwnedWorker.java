package farm.render.coordinator.testing;

import farm.render.core.identity.Ed25519;

import java.security.KeyPair;
import java.util.Map;

import static farm.render.coordinator.testing.TestAccounts.as;

/** A worker a test registered under an owner of its choosing, with its own key. */
public record OwnedWorker(String id, String owner, KeyPair keys) {
    /** A fresh worker id with this prefix, registered under the owner. */
    public static OwnedWorker register(String prefix, String owner) {
        String workerId = TestAccounts.fresh(prefix);
        KeyPair keys = Ed25519.generate();
        as(owner).contentType("application/json").body(Map.of("workerId", workerId, "publicKey", Ed25519.encodePublic(keys.getPublic())))
                .post("/api/v1/workers").then().statusCode(201);
        return new OwnedWorker(workerId, owner, keys);
    }
}
