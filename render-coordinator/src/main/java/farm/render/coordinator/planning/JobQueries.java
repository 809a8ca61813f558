package farm.render.coordinator.planning;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.ledger.Ledger;
import farm.render.coordinator.ledger.TilePayment;
import farm.render.core.planning.FrameRanges;
import farm.render.core.planning.RenderSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** Read side of jobs: status and payments. */
@ApplicationScoped
public class JobQueries {
    /** Jobs with more tiles than this report tile counts only, not one state per tile (keeps each status event small). */
    public static final int MAX_TILE_STATES = 4096;

    private final Transactions tx;
    private final Ledger ledger;

    public JobQueries(Transactions tx, Ledger ledger) {
        this.tx = tx;
        this.ledger = ledger;
    }

    public Optional<Job> job(String jobId) {
        return tx.inTransaction(c -> JobStore.find(c, jobId, false));
    }

    public Optional<JobStatus> status(String jobId) {
        return tx.inTransaction(c -> {
            Optional<Job> found = JobStore.find(c, jobId, false);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Job j = found.get();
            RenderSettings s = j.settings();
            List<JobStatus.FrameStatus> frames = JobStore.frames(c, jobId, MAX_TILE_STATES);
            int done = (int) frames.stream().filter(JobStatus.FrameStatus::done).count();
            return Optional.of(new JobStatus(j.id(), j.state(), j.account(), j.sceneDigest(), j.tier().name().toLowerCase(),
                    j.frameStart(), j.frameEnd(), s.width(), s.height(), s.spp(), s.maxBounces(), s.tileSize(), s.seed(),
                    j.quote(), j.failure(), frames, JobStore.tileCounts(c, jobId), done, ledger.jobLedger(c, jobId),
                    FrameRanges.format(j.frames()), j.frameCount(), JobStore.createdAt(c, jobId).orElse(null)));
        });
    }

    public List<TilePayment> payments(String jobId) {
        return tx.inTransaction(c -> ledger.payments(c, jobId));
    }

    public boolean frameDone(String jobId, int frame) {
        return tx.inTransaction(c -> JobStore.frameDone(c, jobId, frame));
    }

    /** Balance of an account, or empty when there is no such account. */
    public Optional<Long> balance(String account) {
        return tx.inTransaction(c -> ledger.exists(c, account) ? Optional.of(ledger.balance(c, account)) : Optional.empty());
    }
}
