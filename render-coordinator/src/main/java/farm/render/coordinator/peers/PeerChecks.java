package farm.render.coordinator.peers;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.classes.ClassStatus;
import farm.render.coordinator.classes.NumericalClasses;
import farm.render.coordinator.dispatch.TaskFactory;
import farm.render.coordinator.dispatch.TaskSink;
import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.coordinator.ledger.PeerCheckPostings;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobState;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.verdicts.VerdictHandler;
import farm.render.coordinator.workers.WorkerRegistry;
import farm.render.coordinator.workers.WorkerStanding;
import farm.render.core.classes.PeerCheckPixels;
import farm.render.core.digest.Digests;
import farm.render.core.identity.Ed25519;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.SampledPixel;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Verification by peers for results of an unproven numerical class. At the claim a worker of such a class, with a peer
 * available, gets a task marked for a peer. Its result opens a check: k pixels of the tile (k from the worker's
 * reputation), drawn after the result exists. The trusted verifier samples the tile as well, at its tolerance (its
 * arithmetic may differ): a failing sample fails the tile as any failed verdict; a passing one opens the check to peers,
 * with some of the verifier's pixels and some pixels of other tiles that two workers of the class agreed on mixed in,
 * unmarked, as known answers. A worker of an equivalent class, with another owner and another key, gets the check at its
 * next claim in place of a ticket, or asks for it when idle; {@link PeerReports} judges its report.
 */
@ApplicationScoped
public class PeerChecks {
    private static final Logger LOG = Logger.getLogger(PeerChecks.class);
    /** Agreed checks known answers are drawn from. */
    private static final int AGREED_SOURCES = 16;

    private final Transactions tx;
    private final ObjectStorage storage;
    private final CoordinatorKeys keys;
    private final WorkerRegistry workers;
    private final NumericalClasses classes;
    private final TaskFactory tasks;
    private final VerdictHandler verdicts;
    private final RefereeQueue referee;
    private final TaskSink sink;
    private final int knownAnswers;
    private final int feePercent;
    private final long reissueSeconds;
    private final long waitSeconds;
    private final Random random = new SecureRandom();

    public PeerChecks(Transactions tx, ObjectStorage storage, CoordinatorKeys keys, WorkerRegistry workers, NumericalClasses classes,
                      TaskFactory tasks, VerdictHandler verdicts, RefereeQueue referee, TaskSink sink, FarmConfig config) {
        this.tx = tx;
        this.storage = storage;
        this.keys = keys;
        this.workers = workers;
        this.classes = classes;
        this.tasks = tasks;
        this.verdicts = verdicts;
        this.referee = referee;
        this.sink = sink;
        this.knownAnswers = Math.max(0, config.peers().knownAnswers());
        this.feePercent = Math.max(0, config.peers().feePercent());
        this.reissueSeconds = config.peers().reissue().toSeconds();
        this.waitSeconds = config.peers().waitForPeer().toSeconds();
    }

    public int feePercent() {
        return feePercent;
    }

    /** At a claim: whether this worker's result goes to a peer (its class is unproven and an equivalent peer exists). */
    public boolean routesToPeer(Connection c, String workerId) throws SQLException {
        return classes.workerStatus(c, workerId).filter(s -> s == ClassStatus.UNPROVEN).isPresent() && PeerCheckStore.hasPeer(c, workerId);
    }

    /**
     * Opens the check of a result whose task names a peer as checker, to wait for the verifier's sample; empty when the
     * result is not what it claims (dropped, as the verifier drops it), a check exists already, or the tile itself fails (a
     * failed verdict, as the verifier's).
     */
    public Optional<Long> open(TileResult r) {
        TileTask t = r.task();
        if (t == null || !t.peerChecked() || t.rect() == null || r.workerId() == null || !r.workerId().equals(t.workerId())
                || !t.signatureValid(keys.taskSigning().getPublic())) {
            return Optional.empty();
        }
        Optional<WorkerStanding> worker = workers.find(r.workerId());
        if (worker.isEmpty() || !r.signatureValid(Ed25519.decodePublic(worker.get().publicKey()))) {
            LOG.warnf("dropping a peer-checked result for %s in the name of %s: not signed by that worker", t.taskId(), r.workerId());
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = storage.get(ObjectKeys.tile(t.jobId(), t.frame(), t.tile(), t.attempt(), r.workerId()));
        } catch (RuntimeException e) {
            verdicts.handle(TileVerdict.reject(r, "tile not readable: " + e.getMessage()));
            return Optional.empty();
        }
        Optional<String> broken = broken(r, bytes);
        if (broken.isPresent()) {
            verdicts.handle(TileVerdict.fail(r, broken.get()));
            return Optional.empty();
        }
        float[] rgb = TileImage.decode(bytes).rgb();
        return tx.inTransaction(c -> {
            Optional<String> classId = classes.workerClass(c, r.workerId());
            if (classId.isEmpty()) {
                return Optional.<Long>empty();
            }
            TileRect rect = t.rect();
            int k = Math.min(workers.reputation(c, r.workerId()).sampledPixels(), Math.min(rect.pixelCount(),
                    PeerCheckAssignment.MAX_PIXELS - 2 * knownAnswers));
            Optional<Long> id = PeerCheckStore.open(c, r, classId.get(), PeerCheckPixels.ofTile(rect, rgb, k, random));
            if (id.isPresent()) {
                Optional<List<SampledPixel>> sample = PeerCheckStore.sample(c, t.jobId(), t.frame(), t.tile(), t.attempt());
                if (sample.isPresent()) {
                    activate(c, PeerCheckStore.find(c, id.get(), true).orElseThrow(), sample.get());
                }
            }
            return id;
        });
    }

    /**
     * The verifier's verdict on a peer-checked tile attempt: a passing sample opens the check to peers (or waits for the
     * result, whichever comes first); a failure ends the check (the tile failed on the ordinary path, no fee).
     */
    public void sampled(TileVerdict v) {
        tx.inTransaction(c -> {
            if (v.awaitsPeer()) {
                PeerCheckStore.saveSample(c, v);
                Optional<PeerCheckStore.Check> waiting = PeerCheckStore.ofAttempt(c, v.jobId(), v.frame(), v.tile(), v.attempt(), "SAMPLING");
                if (waiting.isPresent()) {
                    activate(c, waiting.get(), v.evidence());
                }
            } else if (!v.passed()) {
                Optional<PeerCheckStore.Check> live = PeerCheckStore.ofAttempt(c, v.jobId(), v.frame(), v.tile(), v.attempt(),
                        "SAMPLING", "OPEN", "ISSUED");
                if (live.isPresent() && live.get().workerId().equals(v.workerId())) {
                    PeerCheckStore.decide(c, live.get().id(), "FAILED", "the trusted verifier's sample failed the tile: " + v.reason(),
                            null, null);
                }
            }
            return null;
        });
    }

    private void activate(Connection c, PeerCheckStore.Check check, List<SampledPixel> sample) throws SQLException {
        List<float[]> agreed = PeerCheckStore.agreedPixels(c, check.jobId(), check.frame(), check.classId(), AGREED_SOURCES);
        PeerCheckStore.activate(c, check.id(), check.pixels().withKnownAnswers(sample, agreed, knownAnswers, random));
        publishCarrier(c, check);
    }

    /** A carrier ticket of the checked tile attempt, so that a peer claims even when the job has no other ticket out. */
    void publishCarrier(Connection c, PeerCheckStore.Check check) throws SQLException {
        Optional<Job> job = JobStore.find(c, check.jobId(), false);
        if (job.isPresent()) {
            sink.publish(List.of(tasks.ticket(job.get(), check.frame(), check.tile(), check.result().task().rect(), check.attempt())));
        }
    }

    /**
     * At a claim: the positions of the tickets whose tile attempt delivered a result that waits for its peer check. Such a
     * ticket is a carrier, published when the check opened so that peers claim while no other ticket flows: it never
     * renders the tile again, and it is refused without being put back (its holder did not crash, it delivered).
     */
    public java.util.Set<Integer> carriers(Connection c, List<farm.render.core.wire.ClaimRequest.Ticket> tickets) throws SQLException {
        java.util.Set<List<Object>> awaiting = PeerCheckStore.awaiting(c, tickets.stream().map(t -> t.jobId()).toList(),
                tickets.stream().map(t -> t.frame()).toList(), tickets.stream().map(t -> t.tile()).toList(),
                tickets.stream().map(t -> t.attempt()).toList());
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (int i = 0; i < tickets.size(); i++) {
            var t = tickets.get(i);
            if (awaiting.contains(List.of(t.jobId(), t.frame(), t.tile(), t.attempt()))) {
                out.add(i);
            }
        }
        return out;
    }

    /** At a claim, in its transaction: the check this worker should do in place of a ticket, issued to it now. */
    public Optional<PeerCheckAssignment> checkFor(Connection c, String workerId) throws SQLException {
        Optional<PeerCheckStore.Check> next = PeerCheckStore.nextFor(c, workerId, reissueSeconds);
        if (next.isEmpty()) {
            return Optional.empty();
        }
        PeerCheckStore.Check check = next.get();
        Optional<Job> job = JobStore.find(c, check.jobId(), false);
        if (job.isEmpty() || job.get().state() != JobState.RUNNING) {
            PeerCheckStore.decide(c, check.id(), "FAILED", "the job is no longer rendering", null, null);
            return Optional.empty();
        }
        PeerCheckStore.issue(c, check, workerId);
        TileTask t = check.result().task();
        return Optional.of(new PeerCheckAssignment(check.id(), t.sceneDigest(), tasks.sceneUrl(job.get()), t.rendererVersion(),
                t.imageWidth(), t.imageHeight(), t.frame(), t.spp(), t.maxBounces(), t.seed(), t.clampIndirect(), check.xy()));
    }

    /** For a worker with no ticket at hand: the check it may do now, issued to it; empty when none waits for it. */
    public Optional<PeerCheckAssignment> next(String workerId) {
        return tx.inTransaction(c -> checkFor(c, workerId));
    }

    /**
     * Checks that found no peer in time: the verifier's sample, which passed, decides the tile alone (it is paid as any tile
     * the verifier passed); a dispute no third peer took goes to the trusted verifier as referee. Returns how many. Also opens
     * checks whose result and sample two replicas read at the same time.
     */
    public int handOverUnclaimed(int limit) {
        List<TileVerdict> passes = new ArrayList<>();
        List<TileResult> disputes = tx.inTransaction(c -> {
            for (long id : PeerCheckStore.sampledButWaiting(c, limit)) {
                PeerCheckStore.Check check = PeerCheckStore.find(c, id, true).orElseThrow();
                if ("SAMPLING".equals(check.state())) {
                    activate(c, check, PeerCheckStore.sample(c, check.jobId(), check.frame(), check.tile(), check.attempt()).orElseThrow());
                }
            }
            List<TileResult> out = new ArrayList<>();
            for (long id : PeerCheckStore.unclaimed(c, waitSeconds, reissueSeconds, limit)) {
                PeerCheckStore.Check check = PeerCheckStore.find(c, id, false).orElseThrow();
                if (check.disputedBy() != null) {
                    PeerCheckStore.decide(c, id, "REFEREE", "no third peer took the dispute in " + waitSeconds
                            + " s: the trusted verifier referees it", null, null);
                    out.add(check.result());
                } else {
                    PeerCheckStore.decide(c, id, "FAILED", "no peer took the check in " + waitSeconds
                            + " s: the trusted verifier's sample decides the tile", null, null);
                    passes.add(TileVerdict.pass(check.result(), PeerCheckStore.sample(c, check.jobId(), check.frame(), check.tile(),
                            check.attempt()).orElse(List.of())));
                }
            }
            return out;
        });
        if (!passes.isEmpty()) {
            verdicts.handleAll(passes);
        }
        for (TileResult r : disputes) {
            referee.judge(r);
        }
        return passes.size() + disputes.size();
    }

    /** A job's peer checks by state and the verification fees paid from its escrow. */
    public record JobView(int feePercent, Map<String, Integer> checks, long feesPaid) {
    }

    public JobView forJob(String jobId) {
        return tx.inTransaction(c -> new JobView(feePercent, PeerCheckStore.counts(c, jobId), PeerCheckPostings.feesPaid(c, jobId)));
    }

    private static Optional<String> broken(TileResult r, byte[] bytes) {
        if (!Digests.sha256Hex(bytes).equals(r.tileSha256())) {
            return Optional.of("uploaded tile does not match the digest the worker reported");
        }
        TileImage tile;
        try {
            tile = TileImage.decode(bytes);
        } catch (IllegalArgumentException e) {
            return Optional.of("uploaded tile is unreadable: " + e.getMessage());
        }
        TileRect rect = r.task().rect();
        if (tile.width() != rect.width() || tile.height() != rect.height()) {
            return Optional.of("tile is " + tile.width() + "x" + tile.height() + ", the task asked for " + rect.width() + "x" + rect.height());
        }
        return Optional.empty();
    }
}
