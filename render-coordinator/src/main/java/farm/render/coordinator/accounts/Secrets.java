package farm.render.coordinator.accounts;

import farm.render.core.digest.Digests;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** High-entropy bearer secrets (API tokens, session ids): 32 random bytes, kept only as their SHA-256. */
final class Secrets {
    static final String TOKEN_PREFIX = "rf_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static String newToken() {
        return TOKEN_PREFIX + random();
    }

    static String newSessionId() {
        return random();
    }

    /** What is stored and looked up: 32 random bytes need no salt or slow hash. */
    static String digest(String secret) {
        return Digests.sha256Hex(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
