package farm.render.worker.daemon;

import farm.render.core.identity.Ed25519;

import java.security.KeyPair;

/** Who a worker is: the id it is paid under and the Ed25519 key pair its results are signed with. */
public record WorkerIdentity(String workerId, KeyPair keys) {
    public String publicKey() {
        return Ed25519.encodePublic(keys.getPublic());
    }
}
