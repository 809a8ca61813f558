package farm.render.coordinator.assembly;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.events.JobEvents;
import farm.render.coordinator.frames.FrameGenerations;
import farm.render.coordinator.ledger.EscrowRefunds;
import farm.render.coordinator.planning.FrameStore;
import farm.render.coordinator.planning.FrameStore.FrameRef;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobState;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.planning.TileStore;
import farm.render.coordinator.planning.TileStore.TileRow;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Finishes frames whose every tile is verified: assembles the frame, marks it done, and completes the
 * job (refunding unused escrow) when it was the last. Runs beside the verdict consumer, not on it, so
 * paying tiles never waits for storage. A frame is ready when its verified count reaches its tile
 * count, which the database holds, so a sweep at start and every few seconds finishes what a crash, a
 * storage outage or another replica's failure left ready but unassembled.
 */
@ApplicationScoped
public class FrameCompletion {
    private static final Logger LOG = Logger.getLogger(FrameCompletion.class);
    private static final int THREADS = 2;
    private static final long SWEEP_SECONDS = 5;

    private final Transactions tx;
    private final EscrowRefunds refunds;
    private final FrameAssembly assembly;
    private final JobEvents events;
    private final Set<FrameRef> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "frame-completion");
        t.setDaemon(true);
        return t;
    });

    public FrameCompletion(Transactions tx, EscrowRefunds refunds, FrameAssembly assembly, JobEvents events) {
        this.tx = tx;
        this.refunds = refunds;
        this.assembly = assembly;
        this.events = events;
    }

    /** Starts the sweep: now, then every few seconds. */
    public void start() {
        workers.scheduleWithFixedDelay(this::sweep, 0, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    /** Finishes these frames in the background, those that are ready and not already being finished here. */
    public void submit(List<FrameRef> ready) {
        for (FrameRef f : ready) {
            if (inFlight.add(f)) {
                try {
                    workers.execute(() -> {
                        try {
                            complete(f.jobId(), f.frame());
                        } catch (RuntimeException e) {
                            LOG.warnf("job %s frame %d not assembled yet (the sweep tries again): %s", f.jobId(), f.frame(), e.getMessage());
                        } finally {
                            inFlight.remove(f);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    inFlight.remove(f); // shutting down: the next start's sweep finds it
                }
            }
        }
    }

    /** Every frame of a running job that is ready but not done. */
    void sweep() {
        try {
            submit(tx.inTransaction(FrameStore::framesReady));
        } catch (RuntimeException e) {
            LOG.debugf("frame sweep skipped: %s", e.getMessage());
        }
    }

    /** Assembles a frame whose every tile is verified (by its count) and finishes the job when it was the last. */
    public void complete(String jobId, int frame) {
        record Work(Job job, int generation, List<TileRow> tiles) {
        }
        Optional<Work> work = tx.inTransaction(c -> {
            Optional<Job> job = JobStore.find(c, jobId, false);
            if (job.isEmpty() || job.get().state() != JobState.RUNNING) {
                return Optional.empty();
            }
            FrameRef ref = new FrameRef(jobId, frame);
            return Optional.of(new Work(job.get(), FrameGenerations.current(c, List.of(ref)).getOrDefault(ref, 1),
                    TileStore.frameTiles(c, jobId, frame)));
        });
        if (work.isEmpty()) {
            return;
        }
        List<TileRow> tiles = work.get().tiles();
        if (tiles.isEmpty() || !tiles.stream().allMatch(t -> "VERIFIED".equals(t.state()))) {
            LOG.errorf("job %s frame %d: its verified count says complete but its tiles disagree; not assembled", jobId, frame);
            return;
        }
        try {
            assembly.assemble(work.get().job(), frame, work.get().generation(), tiles);
        } catch (FrameAssembly.UnverifiedTiles e) {
            renderAgain(jobId, frame, e.tiles());
            return;
        }
        boolean[] finished = {false};
        boolean frameNow = tx.inTransaction(c -> {
            Job locked = JobStore.find(c, jobId, true).orElseThrow();
            if (locked.state() != JobState.RUNNING || !FrameStore.markFrameDone(c, jobId, frame)) {
                return false;
            }
            if (FrameStore.framesPending(c, jobId) == 0 && JobStore.finish(c, jobId, JobState.COMPLETED, null)) {
                refunds.refundEscrow(c, jobId, locked.account());
                finished[0] = true;
            }
            return true;
        });
        if (frameNow) {
            LOG.infof("job %s frame %d assembled", jobId, frame);
            events.changed(jobId, JobEvents.Change.FRAME_DONE);
        }
        if (finished[0]) {
            LOG.infof("job %s completed", jobId);
            events.changed(jobId, JobEvents.Change.JOB_FINISHED);
        }
    }

    /**
     * Sends tiles whose stored bytes are not the verified ones back to render as new attempts, with a notice on the
     * job: the frame is assembled once they are verified again, never from other bytes, and never retried for ever.
     */
    private void renderAgain(String jobId, int frame, List<FrameAssembly.Unverified> tiles) {
        int sent = tx.inTransaction(c -> {
            int n = 0;
            for (FrameAssembly.Unverified u : tiles) {
                TileRow t = u.tile();
                if (TileStore.unverify(c, jobId, frame, t.tile(), t.verifiedAttempt())) {
                    n++;
                    JobStore.notice(c, jobId, "frame " + frame + " tile " + t.tile() + " (attempt " + t.verifiedAttempt() + " by "
                            + t.workerId() + ") is rendered again: " + u.reason());
                }
            }
            return n;
        });
        LOG.warnf("job %s frame %d: %d tile(s) no longer hold their verified bytes and render again: %s", jobId, frame, sent,
                tiles.stream().map(u -> u.tile().tile() + " (" + u.reason() + ")").toList());
        if (sent > 0) {
            events.changed(jobId, JobEvents.Change.TILE_FAILED);
        }
    }

    @PreDestroy
    public void stop() {
        workers.shutdownNow();
    }
}
