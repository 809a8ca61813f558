package farm.render.verifier.trust;

import farm.render.core.wire.Reputation;

import java.security.PublicKey;

/** A worker as the coordinator knows it: the key it registered and its record. */
public record RegisteredWorker(String workerId, PublicKey publicKey, Reputation reputation) {
}
