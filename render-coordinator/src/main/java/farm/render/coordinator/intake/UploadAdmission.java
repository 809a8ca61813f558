package farm.render.coordinator.intake;

import farm.render.coordinator.FarmConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may send a raw scene upload now: at most {@code farm.intake.max-concurrent-uploads-per-account}
 * open uploads per account and {@code farm.intake.max-concurrent-uploads} on this replica. An upload
 * holds its slot from the first byte until its import ends, and its import runs on this class's own
 * threads, so uploads never wait on the threads that serve health checks and the API.
 */
@ApplicationScoped
public class UploadAdmission {
    private final int perAccount;
    private final int global;
    private final Semaphore slots;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor imports;

    public UploadAdmission(FarmConfig config) {
        this.perAccount = Math.max(1, config.intake().maxConcurrentUploadsPerAccount());
        this.global = Math.max(1, config.intake().maxConcurrentUploads());
        this.slots = new Semaphore(global);
        AtomicInteger n = new AtomicInteger();
        // one thread per slot: admission already bounds the work, so the queue never grows past the slots
        this.imports = new ThreadPoolExecutor(global, global, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(global), r -> {
            Thread t = new Thread(r, "scene-upload-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        imports.allowCoreThreadTimeOut(true);
    }

    /** Why an upload was turned away before its body was read. */
    public static final class Refused extends RuntimeException {
        private final boolean replicaFull;

        Refused(boolean replicaFull, String message) {
            super(message, null, false, false);
            this.replicaFull = replicaFull;
        }

        /** True when the replica as a whole is busy (503); false when the account is at its own limit (429). */
        public boolean replicaFull() {
            return replicaFull;
        }
    }

    /** An admitted upload's place; {@link #close()} gives it back, once. */
    public final class Slot implements AutoCloseable {
        private final String account;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Slot(String account) {
            this.account = account;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                open.computeIfPresent(account, (k, count) -> count <= 1 ? null : count - 1);
                slots.release();
            }
        }
    }

    /** A slot for one upload by {@code account}, or {@link Refused} when the account or the replica is at its limit. */
    public Slot admit(String account) {
        boolean[] admitted = {false};
        open.compute(account, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perAccount) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            throw new Refused(false, "this account already has " + perAccount + " uploads in progress; wait for one to finish,"
                    + " or send large scenes as a resumable upload (/api/v1/uploads)");
        }
        if (!slots.tryAcquire()) {
            open.computeIfPresent(account, (k, count) -> count <= 1 ? null : count - 1);
            throw new Refused(true, "the coordinator is receiving " + global + " uploads already; try again shortly");
        }
        return new Slot(account);
    }

    /** Where admitted uploads are imported: a pool sized to the slots, separate from the HTTP worker pool. */
    public ExecutorService imports() {
        return imports;
    }

    @PreDestroy
    void stop() {
        imports.shutdownNow();
    }
}
