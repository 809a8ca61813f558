package farm.render.coordinator.intake;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.scene.ImportSummary;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.IsolatedImport;
import farm.render.core.scene.SceneImporter;
import farm.render.core.scene.ScenePackageCounts;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Scene upload: content-hash, compile in an isolated importer, store source and package, record.
 * Nothing is stored unless the importer accepted the file; the same bytes twice give the same record.
 * Source and package pass through files and streams only, so an import costs this JVM a few buffers.
 */
@ApplicationScoped
public class SceneIntake {
    private final SceneCompiler compiler;
    private final ObjectStorage storage;
    private final Transactions tx;
    private final long maxUploadBytes;
    private final SceneThumbnails thumbnails;

    public SceneIntake(SceneCompiler compiler, ObjectStorage storage, Transactions tx, FarmConfig config,
                       SceneThumbnails thumbnails) {
        this.compiler = compiler;
        this.thumbnails = thumbnails;
        this.storage = storage;
        this.tx = tx;
        this.maxUploadBytes = config.intake().maxUploadBytes();
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /** Outcome of an upload: {@code created} is false when the same bytes were uploaded before. */
    public record Accepted(SceneRecord scene, boolean created) {
    }

    /** The lowercase extension of {@code filename}, if it is one the importer reads. */
    public static Optional<String> extension(String filename) {
        int dot = filename.lastIndexOf('.');
        if (dot < 0 || dot == filename.length() - 1) {
            return Optional.empty();
        }
        String ext = filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        return SceneImporter.EXTENSIONS.contains(ext) ? Optional.of(ext) : Optional.empty();
    }

    /**
     * Imports the file at {@code source} (an upload spooled to disk): it is hashed, compiled and stored
     * as a stream, so an upload of any allowed size costs this JVM a few buffers, not its length. A scene
     * over a limit is refused with a {@link farm.render.core.scene.SceneLimitException} naming it.
     */
    public Accepted accept(String filename, String extension, Path source) throws InvalidSceneException {
        String digest;
        long length;
        try {
            length = Files.size(source);
            digest = sha256Hex(source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled upload", e);
        }
        Optional<SceneRecord> known = find(digest);
        if (known.isPresent()) {
            return new Accepted(known.get(), false);
        }
        Path pkg = newPackageFile(source);
        try {
            IsolatedImport.Compiled compiled = compiler.compile(source, extension, pkg);
            checkAgainstPackage(compiled.summary(), pkg);
            SceneRecord record = SceneRecord.of(digest, filename, compiled.summary(), compiled.packageDigest(), Files.size(pkg));
            storage.put(ObjectKeys.sceneSource(digest, extension), source, "application/octet-stream");
            storage.put(ObjectKeys.scenePackage(digest), pkg, "application/octet-stream");
            thumbnails.store(digest, compiled.thumbnailPng());
            boolean created = tx.inTransaction(c -> SceneRepository.insert(c, record, extension, length));
            return created ? new Accepted(record, true) : new Accepted(find(digest).orElseThrow(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("scene import could not run", e);
        } finally {
            UploadSpool.delete(pkg);
        }
    }

    /** The package is compiled next to the upload, in the spool the coordinator owns. */
    private static Path newPackageFile(Path source) {
        Path dir = source.toAbsolutePath().getParent();
        try {
            return Files.createTempFile(dir, "scene-package-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file for the compiled scene in " + dir, e);
        }
    }

    /** The counts the summary gives must be the package's own: read from its head, never from a whole package in memory. */
    private static void checkAgainstPackage(ImportSummary summary, Path pkg) throws InvalidSceneException, IOException {
        ScenePackageCounts counts = ScenePackageCounts.read(pkg);
        if (counts.triangles() != summary.triangles() || counts.materials() != summary.materials()) {
            throw new InvalidSceneException("the importer's summary does not match its package");
        }
    }

    /** The SHA-256 of the file at {@code file}, read in 64 KiB chunks. */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        byte[] chunk = new byte[65536];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                sha256.update(chunk, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    public Optional<SceneRecord> find(String digest) {
        return tx.inTransaction(c -> SceneRepository.find(c, digest));
    }
}
