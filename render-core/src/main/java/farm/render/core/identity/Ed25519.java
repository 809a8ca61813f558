package farm.render.core.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Ed25519 keys and signatures. Keys travel as base64 of their standard encodings (X.509
 * SubjectPublicKeyInfo, PKCS#8) and are held as the JDK's key objects; signatures are base64 of the
 * 64 signature bytes of RFC 8032 "pure" Ed25519. Signing and verifying run BouncyCastle's RFC 8032
 * code on the raw key bytes: the same signatures as the JDK's provider, several times faster
 * ({@link Ed25519Bench} measures both).
 */
public final class Ed25519 {
    private static final String ALGORITHM = "Ed25519";
    private static final int KEY_BYTES = org.bouncycastle.math.ec.rfc8032.Ed25519.PUBLIC_KEY_SIZE;
    private static final int SIGNATURE_BYTES = org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE;
    /** DER header of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410 §4); the 32 key bytes follow it. */
    private static final byte[] X509_HEADER = HexFormat.of().parseHex("302a300506032b6570032100");
    /** Keys seen recently, with what signing or verifying needs derived from them once (a base point multiplication, a decompression). */
    private static final KeyCache<PrivateKey, SigningKey> SIGNING = new KeyCache<>(Ed25519::signingKey);
    private static final KeyCache<PublicKey, org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint> VERIFYING =
            new KeyCache<>(Ed25519::publicPoint);

    private Ed25519() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 is missing from this JVM", e);
        }
    }

    public static String encodePublic(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static String encodePrivate(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** @throws IllegalArgumentException when {@code encoded} is not a base64 Ed25519 public key */
    public static PublicKey decodePublic(String encoded) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(encoded)));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not a base64 Ed25519 public key");
        }
    }

    /** @throws IllegalArgumentException when {@code encoded} is not a base64 PKCS#8 Ed25519 private key */
    public static PrivateKey decodePrivate(String encoded) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(encoded)));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not a base64 Ed25519 private key");
        }
    }

    /** Signs {@code message}; returns the signature in base64. */
    public static String sign(PrivateKey key, byte[] message) {
        return Base64.getEncoder().encodeToString(signRaw(key, message));
    }

    /** Signs {@code message}; returns the 64 signature bytes. */
    static byte[] signRaw(PrivateKey key, byte[] message) {
        if (key == null) {
            throw new IllegalStateException("cannot sign without a key");
        }
        SigningKey k = SIGNING.get(key);
        byte[] signature = new byte[SIGNATURE_BYTES];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(k.secret(), 0, k.publicKey(), 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** Whether {@code signature} (base64) is {@code key}'s signature of {@code message}; false for any malformed input. */
    public static boolean verify(PublicKey key, byte[] message, String signature) {
        if (key == null || message == null || signature == null || signature.isEmpty()) {
            return false;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return verifyRaw(key, message, raw);
    }

    static boolean verifyRaw(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point;
        try {
            point = VERIFYING.get(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, point, message, 0, message.length);
    }

    /** The key pair whose public half is {@code publicKey}: rebuilt from its two encodings. */
    public static KeyPair pair(String publicKey, String privateKey) {
        return new KeyPair(decodePublic(publicKey), decodePrivate(privateKey));
    }

    /** The 32 raw bytes of an Ed25519 public key (RFC 8032 §5.1.5). */
    static byte[] rawPublic(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || encoded.length != X509_HEADER.length + KEY_BYTES
                || !Arrays.equals(encoded, 0, X509_HEADER.length, X509_HEADER, 0, X509_HEADER.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(encoded, X509_HEADER.length, encoded.length);
    }

    /** The 32-byte secret (RFC 8032 §5.1.5's private key) of an Ed25519 private key. */
    static byte[] rawPrivate(PrivateKey key) {
        EdECPrivateKey edec = key instanceof EdECPrivateKey e ? e
                : (EdECPrivateKey) decodePrivate(Base64.getEncoder().encodeToString(key.getEncoded()));
        return edec.getBytes().filter(b -> b.length == KEY_BYTES)
                .orElseThrow(() -> new IllegalArgumentException("not an Ed25519 private key"));
    }

    /** The secret and the public key derived from it: RFC 8032 signing needs both. */
    private record SigningKey(byte[] secret, byte[] publicKey) {
    }

    private static SigningKey signingKey(PrivateKey key) {
        byte[] secret;
        try {
            secret = rawPrivate(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot sign with this key: " + e.getMessage(), e);
        }
        byte[] publicKey = new byte[KEY_BYTES];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(secret, 0, publicKey, 0);
        return new SigningKey(secret, publicKey);
    }

    private static org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint publicPoint(PublicKey key) {
        // decoded as the JDK does: a point on the curve, without the costly prime-order subgroup check
        org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point =
                org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(rawPublic(key), 0);
        if (point == null) {
            throw new IllegalArgumentException("not a point on Ed25519");
        }
        return point;
    }

    /** A small map from key objects to what was derived from them; emptied when it grows past its bound. */
    private static final class KeyCache<K, V> {
        private static final int BOUND = 4096;
        private final Map<K, V> values = new ConcurrentHashMap<>();
        private final Function<K, V> derive;

        KeyCache(Function<K, V> derive) {
            this.derive = derive;
        }

        V get(K key) {
            V v = values.get(key);
            if (v != null) {
                return v;
            }
            v = derive.apply(key);
            if (values.size() >= BOUND) {
                values.clear();
            }
            values.put(key, v);
            return v;
        }
    }
}
