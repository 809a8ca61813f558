package farm.render.verifier.trust;

import farm.render.core.wire.RendererVersion;
import farm.render.core.wire.TileResult;

import java.io.IOException;
import java.security.PublicKey;
import java.util.Optional;

/**
 * Whether a result is what it claims before any pixel is looked at: the task it carries was signed by
 * the coordinator at the claim (so its seeds, rectangle, URLs and claimant are the ones handed out), the
 * result comes from the worker holding that claim, and it is signed by that worker's registered key, over
 * this task's id and attempt and the tile digest. The tile is then read from the claimant's own key,
 * which nobody else can write, so a digest mismatch there is the claimant's doing.
 */
public final class Authenticity {
    /** The outcome. */
    public sealed interface Check {
    }

    public record Authentic(RegisteredWorker worker) implements Check {
    }

    public record Rejected(String reason) implements Check {
    }

    private final WorkerDirectory directory;

    public Authenticity(WorkerDirectory directory) {
        this.directory = directory;
    }

    public Check check(TileResult result) throws IOException {
        if (result.task().coordinatorSignature() == null || result.task().coordinatorSignature().isEmpty()) {
            return new Rejected("the task carries no coordinator signature");
        }
        PublicKey coordinator = directory.coordinatorKey();
        if (!result.task().signatureValid(coordinator)) {
            return new Rejected("the task is not the one the coordinator signed (forged or altered task fields)");
        }
        if (!RendererVersion.CURRENT.equals(result.task().rendererVersion())) {
            return new Rejected("the task needs renderer " + result.task().rendererVersion() + "; this verifier runs " + RendererVersion.CURRENT);
        }
        if (result.task().workerId() == null) {
            return new Rejected("the task was never claimed (no claimant in the coordinator's signed task)");
        }
        if (!result.task().workerId().equals(result.workerId())) {
            return new Rejected("worker " + result.workerId() + " does not hold the claim on this attempt ("
                    + result.task().workerId() + " does)");
        }
        if (result.signature() == null || result.signature().isEmpty()) {
            return new Rejected("unsigned result");
        }
        if (result.workerId() == null) {
            return new Rejected("the result names no worker");
        }
        Optional<RegisteredWorker> worker = directory.worker(result.workerId());
        if (worker.isEmpty()) {
            return new Rejected("worker " + result.workerId() + " has not registered a key");
        }
        if (!result.signatureValid(worker.get().publicKey())) {
            return new Rejected("the result's signature does not verify with worker " + result.workerId()
                    + "'s registered key over this task, attempt and tile digest (replayed, or signed with another key)");
        }
        return new Authentic(worker.get());
    }
}
