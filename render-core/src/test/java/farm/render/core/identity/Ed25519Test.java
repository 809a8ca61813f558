package farm.render.core.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

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
