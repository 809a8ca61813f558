package farm.render.coordinator.verdicts;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.assembly.FrameAssembly;
import farm.render.coordinator.dispatch.TaskFactory;
import farm.render.coordinator.dispatch.TaskSink;
import farm.render.coordinator.events.JobEvents;
import farm.render.coordinator.ledger.Ledger;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobState;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.planning.JobStore.TileRow;
import farm.render.coordinator.planning.Quote;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The tile state machine, driven by verdicts. Each step is one database transaction, idempotent
 * under redelivery: a verdict counts only for the tile's current attempt, a tile is paid once, and
 * an attempt's attributable failure slashes the worker's stake once; every failure requeues the tile.
 */
@ApplicationScoped
public class VerdictHandler {
    private static final Logger LOG = Logger.getLogger(VerdictHandler.class);

    private final Transactions tx;
    private final Ledger ledger;
    private final FrameAssembly assembly;
    private final TaskFactory tasks;
    private final TaskSink sink;
    private final JobEvents events;
    private final int maxAttempts;

    public VerdictHandler(Transactions tx, Ledger ledger, FrameAssembly assembly, TaskFactory tasks, TaskSink sink,
                          JobEvents events, FarmConfig config) {
        this.tx = tx;
        this.ledger = ledger;
        this.assembly = assembly;
        this.tasks = tasks;
        this.sink = sink;
        this.events = events;
        this.maxAttempts = config.dispatch().maxAttempts();
    }

    public VerdictOutcome handle(TileVerdict v) {
        if (v.jobId() == null || v.workerId() == null) {
            return new VerdictOutcome.Ignored("verdict names no job or worker");
        }
        VerdictOutcome outcome = v.passed() ? tx.inTransaction(c -> pass(c, v)) : tx.inTransaction(c -> fail(c, v));
        if (outcome instanceof VerdictOutcome.Verified) {
            events.changed(v.jobId(), JobEvents.Change.TILE_VERIFIED);
        } else if (outcome instanceof VerdictOutcome.Retried) {
            events.changed(v.jobId(), JobEvents.Change.TILE_FAILED);
        } else if (outcome instanceof VerdictOutcome.JobFailed) {
            events.changed(v.jobId(), JobEvents.Change.JOB_FINISHED);
        } else if (outcome instanceof VerdictOutcome.Ignored ignored) {
            LOG.debugf("verdict %s ignored: %s", v.taskId(), ignored.why());
        }
        if (v.passed()) {
            // also after an ignored pass: a crash between verifying the last tile and assembling must heal on redelivery
            completeFrameIfReady(v.jobId(), v.frame());
        }
        return outcome;
    }

    private VerdictOutcome pass(Connection c, TileVerdict v) throws SQLException {
        Optional<Job> job = JobStore.find(c, v.jobId(), false);
        if (job.isEmpty()) {
            return new VerdictOutcome.Ignored("unknown job");
        }
        if (job.get().state() != JobState.RUNNING) {
            return new VerdictOutcome.Ignored("job is " + job.get().state());
        }
        Optional<TileRow> tile = JobStore.lockTile(c, v.jobId(), v.frame(), v.tile());
        if (tile.isEmpty()) {
            return new VerdictOutcome.Ignored("unknown tile");
        }
        TileRow t = tile.get();
        if (!"QUEUED".equals(t.state())) {
            return new VerdictOutcome.Ignored("tile is " + t.state());
        }
        if (t.attempt() != v.attempt()) {
            return new VerdictOutcome.Ignored("attempt " + v.attempt() + " is not the current attempt " + t.attempt());
        }
        AttemptRecords.record(c, v);
        JobStore.markTileVerified(c, v.jobId(), v.frame(), v.tile(), v.workerId());
        long price = Quote.tilePrice(job.get().settings(), job.get().tier(), t.rect());
        boolean paid = ledger.payTile(c, v.jobId(), v.frame(), v.tile(), v.attempt(), v.workerId(), price).isPresent();
        return new VerdictOutcome.Verified(paid);
    }

    private VerdictOutcome fail(Connection c, TileVerdict v) throws SQLException {
        Optional<Job> found = JobStore.find(c, v.jobId(), true);
        if (found.isEmpty()) {
            return new VerdictOutcome.Ignored("unknown job");
        }
        Job job = found.get();
        if (job.state() != JobState.RUNNING) {
            return new VerdictOutcome.Ignored("job is " + job.state());
        }
        Optional<TileRow> tile = JobStore.lockTile(c, v.jobId(), v.frame(), v.tile());
        if (tile.isEmpty()) {
            return new VerdictOutcome.Ignored("unknown tile");
        }
        TileRow t = tile.get();
        if (!"QUEUED".equals(t.state()) || t.attempt() != v.attempt()) {
            return new VerdictOutcome.Ignored("stale verdict for attempt " + v.attempt());
        }
        AttemptRecords.record(c, v);
        if (v.attributable()) {
            // the worker's own signature stands behind this failure: part of its stake goes
            ledger.slash(c, v.jobId(), v.frame(), v.tile(), v.attempt(), v.workerId());
        }
        int next = t.attempt() + 1;
        if (next > maxAttempts) {
            String reason = "tile " + v.frame() + "/" + v.tile() + " failed verification " + t.attempt()
                    + " times (last: " + v.reason() + ")";
            JobStore.setTileAttempt(c, v.jobId(), v.frame(), v.tile(), t.attempt(), "FAILED");
            if (JobStore.finish(c, v.jobId(), JobState.FAILED, reason)) {
                ledger.refundEscrow(c, v.jobId(), job.account());
            }
            return new VerdictOutcome.JobFailed(reason);
        }
        JobStore.setTileAttempt(c, v.jobId(), v.frame(), v.tile(), next, "QUEUED");
        TileTask retry = tasks.task(job, v.frame(), v.tile(), t.rect(), next);
        sink.publish(List.of(retry)); // acknowledged before commit; a rollback leaves a task whose verdict is stale
        return new VerdictOutcome.Retried(next);
    }

    /** If every tile of the frame is verified and the frame is not yet done: assemble it, and finish the job when it was the last. */
    void completeFrameIfReady(String jobId, int frame) {
        Optional<Job> job = tx.inTransaction(c -> JobStore.find(c, jobId, false));
        if (job.isEmpty() || job.get().state() != JobState.RUNNING) {
            return;
        }
        List<TileRow> tiles = tx.inTransaction(c -> JobStore.frameDone(c, jobId, frame) ? List.<TileRow>of() : JobStore.frameTiles(c, jobId, frame));
        if (tiles.isEmpty() || !tiles.stream().allMatch(t -> "VERIFIED".equals(t.state()))) {
            return;
        }
        assembly.assemble(job.get(), frame, tiles); // idempotent: two replicas would write the same PNG
        boolean[] finished = {false};
        boolean frameNow = tx.inTransaction(c -> {
            Job locked = JobStore.find(c, jobId, true).orElseThrow();
            if (locked.state() != JobState.RUNNING || !JobStore.markFrameDone(c, jobId, frame)) {
                return false;
            }
            if (JobStore.framesPending(c, jobId) == 0 && JobStore.finish(c, jobId, JobState.COMPLETED, null)) {
                ledger.refundEscrow(c, jobId, locked.account());
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
}
