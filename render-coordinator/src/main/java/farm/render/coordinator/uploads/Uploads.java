package farm.render.coordinator.uploads;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.intake.SceneIntake;
import farm.render.coordinator.intake.SceneRecord;
import farm.render.coordinator.intake.UploadSpool;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.uploads.MultipartStorage.StoredPart;
import farm.render.coordinator.uploads.UploadRefused.Reason;
import farm.render.coordinator.uploads.UploadSession.UploadState;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.SceneLimitException;
import farm.render.core.scene.SceneImporter;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Resumable scene uploads: the client sends parts straight to object storage on presigned URLs; the
 * coordinator checks the stored parts against the declared size and digest, joins them and hands the
 * file to the same intake as a direct upload.
 */
@ApplicationScoped
public class Uploads {
    private static final Logger LOG = Logger.getLogger(Uploads.class);
    /** S3 allows at most this many parts in one upload. */
    static final int MAX_PARTS = 10_000;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_FINGERPRINT = 512;

    /** What the client says it will send. */
    public record Declared(String filename, long size, Optional<String> sha256, Optional<String> fingerprint) {
    }

    /** A part still to send: its number, exact size and the URL to PUT it to. */
    public record PartTarget(int number, long size, String url) {
    }

    /** An upload and how far it got: the parts stored and those still to send. */
    public record Progress(UploadSession session, List<StoredPart> stored, List<PartTarget> missing, boolean resumed) {
    }

    /** A completed upload's scene; {@code created} is false when the farm knew these bytes already. */
    public record Completed(SceneRecord scene, boolean created) {
    }

    private final Transactions tx;
    private final MultipartStorage parts;
    private final ObjectStorage objects;
    private final SceneIntake intake;
    private final UploadSpool spool;
    private final long partSize;

    public Uploads(Transactions tx, MultipartStorage parts, ObjectStorage objects, SceneIntake intake, UploadSpool spool,
                   FarmConfig config) {
        this.tx = tx;
        this.spool = spool;
        this.parts = parts;
        this.objects = objects;
        this.intake = intake;
        this.partSize = config.uploads().partSizeBytes();
    }

    /** Starts an upload, or resumes the account's open upload with the same fingerprint. */
    public Progress start(String account, Declared declared) {
        String filename = baseName(declared.filename());
        String extension = SceneIntake.extension(filename).orElseThrow(() -> new UploadRefused(Reason.UNSUPPORTED_FORMAT,
                "filename", "'" + filename + "' is not one of the formats the farm imports: " + new TreeSet<>(SceneImporter.EXTENSIONS)));
        if (declared.size() <= 0) {
            throw new UploadRefused(Reason.INVALID_REQUEST, "size", "size must be the file's length in bytes, at least 1");
        }
        long max = intake.maxUploadBytes();
        if (declared.size() > max) {
            throw new UploadRefused(Reason.TOO_LARGE, "size", "scene uploads are limited to " + max + " bytes");
        }
        Optional<String> sha256 = declared.sha256().map(s -> s.toLowerCase(Locale.ROOT));
        if (sha256.isPresent() && !SHA256.matcher(sha256.get()).matches()) {
            throw new UploadRefused(Reason.INVALID_REQUEST, "sha256", "sha256 must be 64 hexadecimal digits");
        }
        Optional<String> fingerprint = declared.fingerprint().filter(f -> !f.isBlank()).or(() -> sha256);
        if (fingerprint.isPresent() && fingerprint.get().length() > MAX_FINGERPRINT) {
            throw new UploadRefused(Reason.INVALID_REQUEST, "fingerprint", "a fingerprint is at most " + MAX_FINGERPRINT + " characters");
        }
        if (fingerprint.isPresent()) {
            Optional<UploadSession> open = tx.inTransaction(c -> UploadRepository.findOpen(c, account, fingerprint.get()));
            if (open.isPresent()) {
                UploadSession u = open.get();
                if (u.size() != declared.size() || !u.filename().equals(filename) || !u.sha256().equals(sha256)) {
                    throw new UploadRefused(Reason.FINGERPRINT_CONFLICT, "fingerprint", "upload " + u.id()
                            + " with this fingerprint declared another file (" + u.filename() + ", " + u.size() + " bytes)");
                }
                return progress(u, true);
            }
        }
        long size = Math.max(partSize, ceilDiv(declared.size(), MAX_PARTS));
        int count = (int) ceilDiv(declared.size(), size);
        String id = UUID.randomUUID().toString();
        String key = "uploads/" + id + "/source." + extension;
        String storeId = parts.create(key);
        UploadSession session = new UploadSession(id, account, filename, extension, declared.size(), sha256, fingerprint,
                size, count, key, storeId, UploadState.OPEN, Optional.empty(), Optional.empty());
        try {
            tx.inTransaction(c -> {
                UploadRepository.insert(c, session);
                return null;
            });
        } catch (Transactions.DatabaseException e) {
            parts.abort(key, storeId);
            // a concurrent start with the same fingerprint won the unique index: resume that one
            if (fingerprint.isPresent()) {
                Optional<UploadSession> winner = tx.inTransaction(c -> UploadRepository.findOpen(c, account, fingerprint.get()));
                if (winner.isPresent()) {
                    return progress(winner.get(), true);
                }
            }
            throw e;
        }
        return progress(session, false);
    }

    /** The account's upload {@code id} with the parts stored so far and fresh URLs for the rest. */
    public Progress progress(String account, String id) {
        return progress(find(account, id), true);
    }

    /**
     * Joins the stored parts and runs the intake on the file. Missing or wrongly sized parts leave the
     * upload open; a digest mismatch or an invalid scene closes it.
     */
    public Completed complete(String account, String id) {
        UploadSession u = find(account, id);
        switch (u.state()) {
            case COMPLETED -> {
                return new Completed(intake.find(u.sceneDigest().orElseThrow()).orElseThrow(), false);
            }
            case REJECTED -> throw new UploadRefused(Reason.REJECTED, null, "upload " + id + " was refused: " + u.reason().orElse(""));
            case COMPLETING -> throw new UploadRefused(Reason.COMPLETING, null, "upload " + id + " is being completed by another request");
            case OPEN -> {
            }
        }
        if (!tx.inTransaction(c -> UploadRepository.transition(c, id, UploadState.OPEN, UploadState.COMPLETING, null, null))) {
            return complete(account, id); // another request moved it on: answer with where it is now
        }
        Path source = null;
        try {
            source = join(u);
            String digest = sha256Hex(source);
            if (u.sha256().isPresent() && !u.sha256().get().equals(digest)) {
                throw new UploadRefused(Reason.DIGEST_MISMATCH, "sha256", "the stored file hashes to " + digest
                        + ", not the declared " + u.sha256().get() + "; start the upload again");
            }
            SceneIntake.Accepted accepted = intake.accept(u.filename(), u.extension(), source);
            tx.inTransaction(c -> UploadRepository.transition(c, id, UploadState.COMPLETING, UploadState.COMPLETED,
                    accepted.scene().digest(), null));
            removeQuietly(u.objectKey());
            return new Completed(accepted.scene(), accepted.created());
        } catch (SceneLimitException e) {
            close(u, e.getMessage());
            throw new UploadRefused(Reason.SCENE_OVER_LIMIT, "body", e.getMessage());
        } catch (InvalidSceneException e) {
            close(u, e.getMessage());
            throw new UploadRefused(Reason.INVALID_SCENE, "body", e.getMessage());
        } catch (UploadRefused e) {
            if (e.reason() == Reason.DIGEST_MISMATCH) {
                close(u, e.getMessage());
            } else {
                reopen(u);
            }
            throw e;
        } catch (RuntimeException e) {
            reopen(u);
            throw e;
        } finally {
            UploadSpool.delete(source);
        }
    }

    private static String sha256Hex(Path file) {
        try {
            return SceneIntake.sha256Hex(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the joined upload", e);
        }
    }

    /**
     * The whole file, copied to a temporary file (never into memory): the joined object if an earlier
     * attempt got that far, else the parts joined now.
     */
    private Path join(UploadSession u) {
        if (!objects.exists(u.objectKey())) {
            Map<Integer, StoredPart> stored = parts.parts(u.objectKey(), u.storeUploadId()).stream()
                    .collect(Collectors.toMap(StoredPart::number, Function.identity()));
            List<Integer> missing = new ArrayList<>();
            List<StoredPart> ordered = new ArrayList<>();
            for (int n = 1; n <= u.partCount(); n++) {
                StoredPart p = stored.get(n);
                if (p == null) {
                    missing.add(n);
                } else if (p.size() != u.expectedPartSize(n)) {
                    throw new UploadRefused(Reason.PART_SIZE_MISMATCH, "parts", "part " + n + " holds " + p.size()
                            + " bytes but the declared size of " + u.size() + " bytes gives it " + u.expectedPartSize(n)
                            + "; send that part again");
                } else {
                    ordered.add(p);
                }
            }
            if (!missing.isEmpty()) {
                throw new UploadRefused(Reason.PARTS_MISSING, "parts", "parts " + missing + " of " + u.partCount()
                        + " are not stored yet");
            }
            parts.complete(u.objectKey(), u.storeUploadId(), ordered);
        }
        Path source = spool.newFile();
        try {
            long length = objects.download(u.objectKey(), source);
            if (length != u.size()) {
                throw new UploadRefused(Reason.DIGEST_MISMATCH, "size", "the stored file holds " + length
                        + " bytes, not the declared " + u.size() + "; start the upload again");
            }
            return source;
        } catch (RuntimeException e) {
            UploadSpool.delete(source);
            throw e;
        }
    }

    private Progress progress(UploadSession u, boolean resumed) {
        if (u.state() != UploadState.OPEN) {
            return new Progress(u, List.of(), List.of(), resumed);
        }
        List<StoredPart> stored = parts.parts(u.objectKey(), u.storeUploadId()).stream()
                .filter(p -> p.number() >= 1 && p.number() <= u.partCount() && p.size() == u.expectedPartSize(p.number()))
                .toList();
        boolean[] have = new boolean[u.partCount() + 1];
        stored.forEach(p -> have[p.number()] = true);
        List<PartTarget> missing = new ArrayList<>();
        for (int n = 1; n <= u.partCount(); n++) {
            if (!have[n]) {
                missing.add(new PartTarget(n, u.expectedPartSize(n), parts.presignPart(u.objectKey(), u.storeUploadId(), n)));
            }
        }
        return new Progress(u, stored, missing, resumed);
    }

    private UploadSession find(String account, String id) {
        return tx.inTransaction(c -> UploadRepository.find(c, account, id))
                .orElseThrow(() -> new UploadRefused(Reason.UNKNOWN, null, "no upload " + id));
    }

    private void reopen(UploadSession u) {
        tx.inTransaction(c -> UploadRepository.transition(c, u.id(), UploadState.COMPLETING, UploadState.OPEN, null, null));
    }

    private void close(UploadSession u, String reason) {
        tx.inTransaction(c -> UploadRepository.transition(c, u.id(), UploadState.COMPLETING, UploadState.REJECTED, null, reason));
        removeQuietly(u.objectKey());
    }

    private void removeQuietly(String key) {
        try {
            parts.remove(key);
        } catch (RuntimeException e) {
            LOG.warnf("could not remove %s after its upload finished: %s", key, e.getMessage());
        }
    }

    static String baseName(String filename) {
        if (filename == null || filename.isBlank()) {
            throw new UploadRefused(Reason.INVALID_REQUEST, "filename", "give the file's name so its format is known");
        }
        String n = filename.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
