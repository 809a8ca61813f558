package farm.render.coordinator.verdicts;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.assembly.FrameCompletion;
import farm.render.coordinator.dispatch.TaskFactory;
import farm.render.coordinator.dispatch.TaskSink;
import farm.render.coordinator.events.JobEvents;
import farm.render.coordinator.frames.FrameGenerations;
import farm.render.coordinator.ledger.EscrowRefunds;
import farm.render.coordinator.ledger.Slashing;
import farm.render.coordinator.ledger.TileCharge;
import farm.render.coordinator.ledger.TilePayment;
import farm.render.coordinator.ledger.TilePayments;
import farm.render.coordinator.planning.FrameStore;
import farm.render.coordinator.planning.FrameStore.FrameRef;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobState;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.planning.Quote;
import farm.render.coordinator.planning.TileStore;
import farm.render.coordinator.planning.TileStore.TileRef;
import farm.render.coordinator.planning.TileStore.TileRow;
import farm.render.core.wire.TileTicket;
import farm.render.core.wire.TileVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * The tile state machine, driven by verdicts. Each step is one database transaction (a run of passes
 * shares one), idempotent under redelivery: a verdict counts only for one of the tile's live attempts (the first
 * verified one wins), a tile is paid once, and an attempt's attributable failure slashes the worker's stake once; every
 * failure requeues the tile. A frame is ready when its count of verified tiles, kept in the
 * transaction that verifies each tile, reaches its tile count; {@link FrameCompletion} assembles it.
 */
@ApplicationScoped
public class VerdictHandler {
    private static final Logger LOG = Logger.getLogger(VerdictHandler.class);

    private final Transactions tx;
    private final TilePayments payments;
    private final Slashing slashing;
    private final EscrowRefunds refunds;
    private final FrameCompletion completion;
    private final TaskFactory tasks;
    private final TaskSink sink;
    private final JobEvents events;
    private final int maxAttempts;

    public VerdictHandler(Transactions tx, TilePayments payments, Slashing slashing, EscrowRefunds refunds, FrameCompletion completion,
                          TaskFactory tasks, TaskSink sink, JobEvents events, FarmConfig config) {
        this.tx = tx;
        this.payments = payments;
        this.slashing = slashing;
        this.refunds = refunds;
        this.completion = completion;
        this.tasks = tasks;
        this.sink = sink;
        this.events = events;
        this.maxAttempts = config.dispatch().maxAttempts();
    }

    public VerdictOutcome handle(TileVerdict v) {
        return handleAll(List.of(v)).get(0);
    }

    /**
     * Handles verdicts in their order: each run of consecutive passes in one transaction (one lock of
     * the ledger's chain head, batched inserts), each failure in its own; then hands the frames those
     * passes made ready to {@link FrameCompletion}. Returns one outcome per verdict.
     */
    public List<VerdictOutcome> handleAll(List<TileVerdict> verdicts) {
        List<VerdictOutcome> outcomes = new ArrayList<>(verdicts.size());
        Set<FrameRef> passedFrames = new LinkedHashSet<>();
        int i = 0;
        while (i < verdicts.size()) {
            TileVerdict v = verdicts.get(i);
            if (v.jobId() == null || v.workerId() == null) {
                outcomes.add(new VerdictOutcome.Ignored("verdict names no job or worker"));
                i++;
            } else if (v.awaitsPeer()) {
                outcomes.add(new VerdictOutcome.Ignored("the verifier's sample passed; the tile's peer check decides"));
                i++;
            } else if (!v.passed()) {
                VerdictOutcome outcome = tx.inTransaction(c -> fail(c, v));
                notify(v, outcome);
                outcomes.add(outcome);
                i++;
            } else {
                int end = i;
                while (end < verdicts.size() && verdicts.get(end).passed() && !verdicts.get(end).awaitsPeer() && verdicts.get(end).jobId() != null
                        && verdicts.get(end).workerId() != null) {
                    end++;
                }
                List<TileVerdict> run = verdicts.subList(i, end);
                List<VerdictOutcome> passed = tx.inTransaction(c -> passAll(c, run));
                Set<String> changedJobs = new LinkedHashSet<>();
                for (int k = 0; k < run.size(); k++) {
                    TileVerdict p = run.get(k);
                    VerdictOutcome outcome = passed.get(k);
                    if (outcome instanceof VerdictOutcome.Verified) {
                        changedJobs.add(p.jobId());
                    } else {
                        notify(p, outcome);
                    }
                    // also after an ignored pass: a crash between verifying the last tile and assembling must heal on redelivery
                    passedFrames.add(new FrameRef(p.jobId(), p.frame()));
                }
                changedJobs.forEach(job -> events.changed(job, JobEvents.Change.TILE_VERIFIED));
                outcomes.addAll(passed);
                i = end;
            }
        }
        if (!passedFrames.isEmpty()) {
            completion.submit(tx.inTransaction(c -> FrameStore.framesReady(c, passedFrames)));
        }
        return outcomes;
    }

    private void notify(TileVerdict v, VerdictOutcome outcome) {
        if (outcome instanceof VerdictOutcome.Verified) {
            events.changed(v.jobId(), JobEvents.Change.TILE_VERIFIED);
        } else if (outcome instanceof VerdictOutcome.Retried) {
            events.changed(v.jobId(), JobEvents.Change.TILE_FAILED);
        } else if (outcome instanceof VerdictOutcome.JobFailed) {
            events.changed(v.jobId(), JobEvents.Change.JOB_FINISHED);
        } else if (outcome instanceof VerdictOutcome.Ignored ignored) {
            LOG.debugf("verdict %s ignored: %s", v.taskId(), ignored.why());
        }
    }

    /** Pass verdicts in order: a verdict counts only for its tile's current, still queued attempt; a tile is paid once. */
    private List<VerdictOutcome> passAll(Connection c, List<TileVerdict> run) throws SQLException {
        Map<String, Optional<Job>> jobs = new HashMap<>();
        for (TileVerdict v : run) {
            if (!jobs.containsKey(v.jobId())) {
                jobs.put(v.jobId(), JobStore.find(c, v.jobId(), false));
            }
        }
        List<TileRef> wanted = run.stream()
                .filter(v -> jobs.get(v.jobId()).map(j -> j.state() == JobState.RUNNING).orElse(false))
                .map(v -> new TileRef(v.jobId(), v.frame(), v.tile())).toList();
        Map<TileRef, TileRow> tiles = TileStore.lockTiles(c, wanted);
        // read under the tile locks a rejection also takes, so a tile is paid in the generation it was rendered for
        Map<FrameRef, Integer> generations = FrameGenerations.current(c, wanted.stream().map(t -> new FrameRef(t.jobId(), t.frame())).toList());
        Set<TileRef> verifiedNow = new HashSet<>();
        VerdictOutcome[] outcomes = new VerdictOutcome[run.size()];
        List<TileVerdict> accepted = new ArrayList<>();
        List<TileStore.VerifiedTile> verified = new ArrayList<>();
        List<TileCharge> charges = new ArrayList<>();
        for (int k = 0; k < run.size(); k++) {
            TileVerdict v = run.get(k);
            Optional<Job> job = jobs.get(v.jobId());
            TileRef ref = new TileRef(v.jobId(), v.frame(), v.tile());
            TileRow t = tiles.get(ref);
            if (job.isEmpty()) {
                outcomes[k] = new VerdictOutcome.Ignored("unknown job");
            } else if (job.get().state() != JobState.RUNNING) {
                outcomes[k] = new VerdictOutcome.Ignored("job is " + job.get().state());
            } else if (t == null) {
                outcomes[k] = new VerdictOutcome.Ignored("unknown tile");
            } else if (verifiedNow.contains(ref)) {
                outcomes[k] = new VerdictOutcome.Ignored("tile is VERIFIED");
            } else if (!"QUEUED".equals(t.state())) {
                outcomes[k] = new VerdictOutcome.Ignored("tile is " + t.state());
            } else if (!t.live(v.attempt())) {
                outcomes[k] = new VerdictOutcome.Ignored("attempt " + v.attempt() + " is not a live attempt (" + t.minAttempt()
                        + "-" + t.attempt() + ")");
            } else if (v.tileSha256() == null || v.tileSha256().isEmpty()) {
                outcomes[k] = new VerdictOutcome.Ignored("the verdict names no tile digest");
            } else {
                verifiedNow.add(ref);
                accepted.add(v);
                verified.add(new TileStore.VerifiedTile(ref, v.workerId(), v.attempt(), v.tileSha256()));
                charges.add(new TileCharge(v.jobId(), v.frame(), v.tile(),
                        generations.getOrDefault(new FrameRef(v.jobId(), v.frame()), 1), v.attempt(), v.workerId(),
                        Quote.tilePrice(job.get().settings(), job.get().tier(), t.rect())));
            }
        }
        AttemptRecords.recordAll(c, accepted);
        TileStore.markTilesVerified(c, verified);
        Set<TileRef> paid = new HashSet<>();
        for (TilePayment p : payments.payTiles(c, charges)) {
            paid.add(new TileRef(p.jobId(), p.frame(), p.tile()));
        }
        for (int k = 0; k < run.size(); k++) {
            if (outcomes[k] == null) {
                TileVerdict v = run.get(k);
                outcomes[k] = new VerdictOutcome.Verified(paid.contains(new TileRef(v.jobId(), v.frame(), v.tile())));
            }
        }
        return List.of(outcomes);
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
        Optional<TileRow> tile = TileStore.lockTile(c, v.jobId(), v.frame(), v.tile());
        if (tile.isEmpty()) {
            return new VerdictOutcome.Ignored("unknown tile");
        }
        TileRow t = tile.get();
        if (!t.live(v.attempt())) {
            return new VerdictOutcome.Ignored("stale verdict for attempt " + v.attempt());
        }
        AttemptRecords.record(c, v);
        if (v.attributable()) {
            // the worker's own signature stands behind this failure, on bytes only it could write: part of its stake goes
            slashing.slash(c, v.jobId(), v.frame(), v.tile(), v.attempt(), v.workerId());
        }
        if (v.attempt() < t.attempt()) {
            return new VerdictOutcome.Retried(t.attempt()); // a later attempt of the tile is out already
        }
        int next = t.attempt() + 1;
        int failures = AttemptRecords.failures(c, v.jobId(), v.frame(), v.tile());
        if (failures >= maxAttempts) {
            String reason = "tile " + v.frame() + "/" + v.tile() + " failed verification " + failures
                    + " times (last: " + v.reason() + ")";
            TileStore.setTileAttempt(c, v.jobId(), v.frame(), v.tile(), t.attempt(), "FAILED");
            if (JobStore.finish(c, v.jobId(), JobState.FAILED, reason)) {
                refunds.refundEscrow(c, v.jobId(), job.account());
            }
            return new VerdictOutcome.JobFailed(reason);
        }
        TileStore.setTileAttempt(c, v.jobId(), v.frame(), v.tile(), next, "QUEUED");
        TileTicket retry = tasks.ticket(job, v.frame(), v.tile(), t.rect(), next);
        sink.publish(List.of(retry)); // acknowledged before commit; a rollback leaves a ticket whose claim is refused as stale
        return new VerdictOutcome.Retried(next);
    }
}
