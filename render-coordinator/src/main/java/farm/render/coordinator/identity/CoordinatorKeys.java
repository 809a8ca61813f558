package farm.render.coordinator.identity;

import farm.render.core.identity.Ed25519;
import farm.render.core.identity.KeyFiles;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Set;

/**
 * The coordinator's two Ed25519 key pairs, kept outside the database so that whoever can edit rows can
 * neither sign tasks nor re-sign the ledger: {@code task-signing.key} signs tasks (workers and verifiers
 * check them with {@link #publicKey()}), {@code ledger-signing.key} signs ledger entries and checkpoints.
 * Both live in {@code farm.identity.key-dir} (mode 700, files mode 600), created on first start; every
 * replica must see the same files (a shared secret volume, or a KMS/Vault agent that renders them).
 */
@Startup
@ApplicationScoped
public class CoordinatorKeys {
    private static final Logger LOG = Logger.getLogger(CoordinatorKeys.class);
    public static final String TASK_FILE = "task-signing.key";
    public static final String LEDGER_FILE = "ledger-signing.key";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final KeyPair task;
    private final KeyPair ledger;

    @jakarta.inject.Inject
    public CoordinatorKeys(IdentityConfig config) {
        this(config.keyDir());
    }

    /** Keys from {@code dir}, created there if missing. */
    public CoordinatorKeys(Path dir) {
        this.dir = dir.toAbsolutePath();
        try {
            prepareDir(this.dir);
            this.task = load(this.dir.resolve(TASK_FILE));
            this.ledger = load(this.dir.resolve(LEDGER_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the coordinator's keys from " + this.dir
                    + " (farm.identity.key-dir): " + e.getMessage(), e);
        }
        if (Ed25519.encodePublic(task.getPublic()).equals(Ed25519.encodePublic(ledger.getPublic()))) {
            throw new IllegalStateException("the task and ledger keys in " + this.dir + " are the same key: give each its own");
        }
        LOG.infof("coordinator keys from %s: tasks %s, ledger %s", this.dir, publicKey(), ledgerPublicKey());
    }

    /** Signs tasks; its public key is {@code GET /api/v1/identity}'s {@code publicKey}. */
    public KeyPair taskSigning() {
        return task;
    }

    /** Signs ledger entries and checkpoints; its public key is {@code ledgerPublicKey}. */
    public KeyPair ledgerSigning() {
        return ledger;
    }

    /** The task key's public half, base64: what workers and verifiers check tasks with. */
    public String publicKey() {
        return Ed25519.encodePublic(task.getPublic());
    }

    /** The ledger key's public half, base64: what exported ledgers and checkpoints verify with. */
    public String ledgerPublicKey() {
        return Ed25519.encodePublic(ledger.getPublic());
    }

    public Path dir() {
        return dir;
    }

    private static void prepareDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        tighten(dir, OWNER_ONLY_DIR);
    }

    private static KeyPair load(Path file) throws IOException {
        boolean existed = Files.exists(file);
        KeyPair keys = KeyFiles.loadOrCreate(file);
        tighten(file, OWNER_ONLY_FILE);
        if (!existed) {
            LOG.infof("created %s", file);
        }
        return keys;
    }

    /** A key file others can read is no secret: take their access away, and say so. */
    private static void tighten(Path path, Set<PosixFilePermission> wanted) throws IOException {
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
            if (!now.equals(wanted)) {
                Files.setPosixFilePermissions(path, wanted);
                if (now.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                    LOG.warnf("%s was %s; set to %s", path, PosixFilePermissions.toString(now), PosixFilePermissions.toString(wanted));
                }
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own access control has to do
        }
    }
}
