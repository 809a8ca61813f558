package farm.render.core.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ed25519Test {
    @Test
    void signaturesVerifyOnlyForTheSameKeyAndMessage() {
        KeyPair a = Ed25519.generate();
        KeyPair b = Ed25519.generate();
        byte[] message = "tile".getBytes(StandardCharsets.UTF_8);
        String sig = Ed25519.sign(a.getPrivate(), message);
        assertThat(Ed25519.verify(a.getPublic(), message, sig)).isTrue();
        assertThat(Ed25519.verify(b.getPublic(), message, sig)).isFalse();
        assertThat(Ed25519.verify(a.getPublic(), "tilf".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
        assertThat(Ed25519.verify(a.getPublic(), message, "not base64!")).isFalse();
        assertThat(Ed25519.verify(a.getPublic(), message, null)).isFalse();
    }

    /** RFC 8032 §7.1, tests 1 and 2: secret key, public key, message, signature. */
    @Test
    void rfc8032TestVectorsSignAndVerify() {
        String[][] vectors = {
                {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
                {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"}};
        HexFormat hex = HexFormat.of();
        for (String[] v : vectors) {
            // the keys as the key files and the database hold them: base64 PKCS#8 and X.509 (RFC 8410)
            KeyPair keys = Ed25519.pair(b64("302a300506032b6570032100" + v[1]), b64("302e020100300506032b657004220420" + v[0]));
            byte[] message = hex.parseHex(v[2]);
            String signature = Ed25519.sign(keys.getPrivate(), message);
            assertThat(hex.formatHex(Base64.getDecoder().decode(signature))).isEqualTo(v[3]);
            assertThat(Ed25519.verify(keys.getPublic(), message, signature)).isTrue();
            byte[] tampered = hex.parseHex(v[3]);
            tampered[5] ^= 1;
            assertThat(Ed25519.verify(keys.getPublic(), message, Base64.getEncoder().encodeToString(tampered))).isFalse();
        }
    }

    @Test
    void signaturesOfTheJdkProviderAndOfThisClassAreTheSameBytesAndCrossVerify() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPair keys = Ed25519.generate();
            byte[] message = ("ledger entry " + i).repeat(i + 1).getBytes(StandardCharsets.UTF_8);
            Signature jdk = Signature.getInstance("Ed25519");
            jdk.initSign(keys.getPrivate());
            jdk.update(message);
            String jdkSigned = Base64.getEncoder().encodeToString(jdk.sign());
            assertThat(Ed25519.verify(keys.getPublic(), message, jdkSigned)).isTrue();

            String ours = Ed25519.sign(keys.getPrivate(), message);
            assertThat(ours).isEqualTo(jdkSigned); // Ed25519 is deterministic: existing ledgers and tasks keep their signatures
            Signature check = Signature.getInstance("Ed25519");
            check.initVerify(keys.getPublic());
            check.update(message);
            assertThat(check.verify(Base64.getDecoder().decode(ours))).isTrue();
        }
    }

    @Test
    void aKeyThatIsNotEd25519CannotSignOrVerify() throws Exception {
        KeyPair rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();
        assertThatThrownBy(() -> Ed25519.sign(rsa.getPrivate(), new byte[1])).isInstanceOf(IllegalStateException.class);
        KeyPair ed = Ed25519.generate();
        String sig = Ed25519.sign(ed.getPrivate(), new byte[1]);
        assertThat(Ed25519.verify(rsa.getPublic(), new byte[1], sig)).isFalse();
        assertThat(Ed25519.verify(ed.getPublic(), new byte[1], sig.substring(0, 40))).isFalse();
    }

    private static String b64(String hexBytes) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hexBytes));
    }

    @Test
    void keysRoundTripThroughTheirEncodings() {
        KeyPair a = Ed25519.generate();
        assertThat(Ed25519.decodePublic(Ed25519.encodePublic(a.getPublic()))).isEqualTo(a.getPublic());
        assertThatThrownBy(() -> Ed25519.decodePublic("AAAA")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyFileIsCreatedOnceAndReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/worker.key");
        KeyPair first = KeyFiles.loadOrCreate(file);
        KeyPair second = KeyFiles.loadOrCreate(file);
        assertThat(second.getPublic()).isEqualTo(first.getPublic());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void canonicalBytesSeparateFields() {
        assertThat(CanonicalBytes.of("d").text("ab").text("c").bytes())
                .isNotEqualTo(CanonicalBytes.of("d").text("a").text("bc").bytes());
        assertThat(CanonicalBytes.of("d").text(null).bytes()).isNotEqualTo(CanonicalBytes.of("d").text("").bytes());
    }
}
