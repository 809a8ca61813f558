package farm.render.core.identity;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys and signatures (the JDK's own provider). Keys travel as base64 of their standard
 * encodings (X.509 SubjectPublicKeyInfo, PKCS#8), signatures as base64 of the 64 signature bytes.
 */
public final class Ed25519 {
    private static final String ALGORITHM = "Ed25519";

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
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(message);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (NoSuchAlgorithmException | InvalidKeyException | SignatureException e) {
            throw new IllegalStateException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} (base64) is {@code key}'s signature of {@code message}; false for any malformed input. */
    public static boolean verify(PublicKey key, byte[] message, String signature) {
        if (key == null || message == null || signature == null || signature.isEmpty()) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The key pair whose public half is {@code publicKey}: rebuilt from its two encodings. */
    public static KeyPair pair(String publicKey, String privateKey) {
        return new KeyPair(decodePublic(publicKey), decodePrivate(privateKey));
    }
}
