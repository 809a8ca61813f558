package farm.render.coordinator.intake;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.digest.Digests;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.IsolatedImport;
import farm.render.core.scene.ScenePackage;
import farm.render.core.scene.SourceCounts;
import farm.render.core.scene.SceneImporter;
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
     * as a stream, so an upload of any allowed size costs this JVM a few buffers, not its length.
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
        byte[] pkg;
        Scene scene;
        SourceCounts counts;
        try {
            IsolatedImport.Compiled compiled = compiler.compile(source, extension);
            pkg = compiled.scenePackage();
            counts = compiled.counts();
            scene = ScenePackage.decode(pkg); // the package must read back before anything is stored
        } catch (IOException e) {
            throw new UncheckedIOException("scene import could not run", e);
        }
        SceneRecord record = SceneRecord.of(digest, filename, scene, counts, Digests.sha256Hex(pkg));
        storage.put(ObjectKeys.sceneSource(digest, extension), source, "application/octet-stream");
        storage.put(ObjectKeys.scenePackage(digest), pkg, "application/octet-stream");
        thumbnails.store(digest, scene);
        boolean created = tx.inTransaction(c -> SceneRepository.insert(c, record, extension, length));
        return created ? new Accepted(record, true) : new Accepted(find(digest).orElseThrow(), false);
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
