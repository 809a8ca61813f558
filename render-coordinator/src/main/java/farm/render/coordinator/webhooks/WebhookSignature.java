package farm.render.coordinator.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * How a delivery is signed: {@code X-Farm-Signature: sha256=HEX}, the HMAC-SHA256 under the account's
 * secret of {@code TIMESTAMP + "." + BODY}, where TIMESTAMP is {@code X-Farm-Timestamp} (Unix seconds).
 * A receiver recomputes it, compares in constant time, and refuses timestamps more than a few minutes
 * old, so a captured delivery cannot be replayed later.
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Farm-Signature";
    public static final String TIMESTAMP_HEADER = "X-Farm-Timestamp";
    public static final String EVENT_HEADER = "X-Farm-Event";
    public static final String DELIVERY_HEADER = "X-Farm-Delivery";

    private WebhookSignature() {
    }

    /** The header value for this body sent at this time. */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
