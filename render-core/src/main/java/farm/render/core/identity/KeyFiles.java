package farm.render.core.identity;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Properties;

/**
 * A key pair on disk: a small properties file ({@code public=}, {@code private=}, base64) readable
 * by its owner only. Created on first use, reused afterwards: the key is the holder's identity.
 */
public final class KeyFiles {
    private KeyFiles() {
    }

    public static KeyPair loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        KeyPair keys = Ed25519.generate();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions have to do
            }
            Properties p = new Properties();
            p.setProperty("algorithm", "Ed25519");
            p.setProperty("public", Ed25519.encodePublic(keys.getPublic()));
            p.setProperty("private", Ed25519.encodePrivate(keys.getPrivate()));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
                p.store(w, "render farm key pair: keep it private, it is this holder's identity");
            }
            try {
                Files.createLink(file, tmp); // atomic create-if-absent: two starts never hold two keys
            } catch (FileAlreadyExistsException e) {
                return load(file);
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return keys;
    }

    public static KeyPair load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            return Ed25519.pair(p.getProperty("public"), p.getProperty("private"));
        } catch (IllegalArgumentException e) {
            throw new IOException("key file " + file + " is damaged: " + e.getMessage());
        }
    }
}
