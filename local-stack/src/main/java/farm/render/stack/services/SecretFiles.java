package farm.render.stack.services;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and folders of the work directory that only its owner may read: passwords, keys, tokens
 * and configuration holding them. A file is born mode 600, never widened and narrowed after.
 */
public final class SecretFiles {
    public static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private SecretFiles() {
    }

    /** Writes {@code content} to a mode-600 file beside {@code file}, then moves it over {@code file}: no reader sees it wider or half-written. */
    public static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnlyFile());
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates an empty mode-600 file unless one exists; one an older version left wider is narrowed to 600. */
    public static void createIfAbsent(Path file) throws IOException {
        try {
            Files.createFile(file, ownerOnlyFile());
        } catch (FileAlreadyExistsException e) {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY_FILE)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
            }
        }
    }

    /** The folder, created mode 700; an existing one is narrowed to 700 (what it holds was never meant for others). */
    public static Path privateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY_DIR)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            }
            return dir;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (FileAlreadyExistsException e) {
            // another start made it in between: narrow it like any existing one
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        }
        return dir;
    }

    public static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
    }
}
