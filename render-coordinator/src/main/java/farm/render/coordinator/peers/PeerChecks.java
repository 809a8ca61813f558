package farm.render.coordinator.peers;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.classes.ClassStatus;
import farm.render.coordinator.classes.NumericalClasses;
import farm.render.coordinator.dispatch.TaskFactory;
import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.coordinator.ledger.PeerCheckPostings;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobState;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.planning.Quote;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.verdicts.VerdictHandler;
import farm.render.coordinator.workers.WorkerRegistry;
import farm.render.coordinator.workers.WorkerStanding;
import farm.render.core.digest.Digests;
import farm.render.core.identity.Ed25519;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import farm.render.core.wire.SampledPixel;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.PublicKey;
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
 * available, gets a task marked for a peer (the trusted verifier leaves its result alone). Its result opens a check: k
 * pixels of the tile (k from the worker's reputation) drawn now, after the result exists, mixed with known-answer pixels
 * of the same job and frame that two workers of the class already agreed on. A worker of an equivalent class, with
 * another owner and another key, gets the check at its next claim in place of a ticket and reports the pixels signed.
 * Bit-equal pixels pass the tile through the ordinary verdict path (paid once) and pay the peer a fee from the escrow; a
 * wrong known answer slashes the peer and puts the check back for another; other differences go to the trusted verifier
 * as referee, whose verdict fails the worker (as any failed verdict) or slashes the peer.
 */
@ApplicationScoped
public class PeerChecks {
    private static final Logger LOG = Logger.getLogger(PeerChecks.class);
    /** Agreed checks known answers are drawn from. */
    private static final int AGREED_SOURCES = 16;

    /** What became of a peer's report. */
    public sealed interface Outcome {
    }

    /** The pixels matched: the tile passed and the peer earned {@code fee}. */
    public record Passed(long fee) implements Outcome {
    }

    /** The peer got {@code wrongKnown} known answers wrong: it lost {@code slashed} of its stake and the check goes to another. */
    public record Lied(int wrongKnown, long slashed) implements Outcome {
    }

    /** {@code mismatches} of the tile's pixels differ: the trusted verifier referees. */
    public record Disputed(int mismatches) implements Outcome {
    }

    /** Not taken; {@code conflict} when the report came at the wrong time rather than malformed. */
    public record Refused(String field, String detail, boolean conflict) implements Outcome {
    }

    private record Decision(Outcome outcome, TileVerdict pass, TileResult referee) {
    }

    private final Transactions tx;
    private final ObjectStorage storage;
    private final CoordinatorKeys keys;
    private final WorkerRegistry workers;
    private final NumericalClasses classes;
    private final TaskFactory tasks;
    private final VerdictHandler verdicts;
    private final PeerCheckPostings postings;
    private final RefereeQueue referee;
    private final farm.render.coordinator.dispatch.TaskSink sink;
    private final int knownAnswers;
    private final int feePercent;
    private final int auditPercent;
    private final long reissueSeconds;
    private final long waitSeconds;
    private final Random random = new SecureRandom();

    public PeerChecks(Transactions tx, ObjectStorage storage, CoordinatorKeys keys, WorkerRegistry workers, NumericalClasses classes,
                      TaskFactory tasks, VerdictHandler verdicts, PeerCheckPostings postings, RefereeQueue referee,
                      farm.render.coordinator.dispatch.TaskSink sink, FarmConfig config) {
        this.sink = sink;
        this.tx = tx;
        this.storage = storage;
        this.keys = keys;
        this.workers = workers;
        this.classes = classes;
        this.tasks = tasks;
        this.verdicts = verdicts;
        this.postings = postings;
        this.referee = referee;
        this.knownAnswers = Math.max(0, config.peers().knownAnswers());
        this.feePercent = Math.max(0, config.peers().feePercent());
        this.auditPercent = Math.min(100, Math.max(0, config.peers().auditPercent()));
        this.reissueSeconds = config.peers().reissue().toSeconds();
        this.waitSeconds = config.peers().waitForPeer().toSeconds();
    }

    public int feePercent() {
        return feePercent;
    }

    /**
     * At a claim: whether this worker's result goes to a peer (its class is unproven and an equivalent peer exists), but for
     * the audited share, drawn here, which the trusted verifier checks.
     */
    public boolean routesToPeer(Connection c, String workerId) throws SQLException {
        return random.nextInt(100) >= auditPercent && classes.workerStatus(c, workerId).filter(s -> s == ClassStatus.UNPROVEN).isPresent()
                && PeerCheckStore.hasPeer(c, workerId);
    }

    /**
     * Opens the check of a result whose task names a peer as checker; empty when the result is not what it claims (dropped,
     * as the verifier drops it), a check exists already, or the tile itself fails (a failed verdict, as the verifier's).
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
                    PeerCheckAssignment.MAX_PIXELS - knownAnswers));
            List<float[]> agreed = PeerCheckStore.agreedPixels(c, t.jobId(), t.frame(), classId.get(), AGREED_SOURCES);
            CheckPixels pixels = CheckPixels.draw(rect, rgb, k, agreed, knownAnswers, random);
            Optional<Long> id = PeerCheckStore.open(c, r, classId.get(), pixels.xy(), pixels.expected(), pixels.known());
            Optional<Job> job = JobStore.find(c, t.jobId(), false);
            if (id.isPresent() && job.isPresent()) {
                // a carrier ticket, so that a peer claims even when the job has no other ticket out
                sink.publish(List.of(tasks.ticket(job.get(), t.frame(), t.tile(), rect, t.attempt())));
            }
            return id;
        });
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

    /** Takes a peer's report; {@code key} is the peer's registered public key. */
    public Outcome report(String peerId, PeerCheckReport report, PublicKey key) {
        if (report.rgb() == null) {
            return new Refused("rgb", "rgb must list three floats per assigned pixel", false);
        }
        if (!peerId.equals(report.workerId()) || !report.verify(key)) {
            return new Refused("signature", "the report must name this worker and carry its Ed25519 signature", false);
        }
        Decision d = tx.inTransaction(c -> decide(c, peerId, report));
        if (d.pass() != null) {
            verdicts.handle(d.pass());
        }
        if (d.referee() != null) {
            referee.judge(forVerifier(d.referee()));
        }
        return d.outcome();
    }

    private Decision decide(Connection c, String peerId, PeerCheckReport report) throws SQLException {
        Optional<PeerCheckStore.Check> found = PeerCheckStore.find(c, report.checkId(), true);
        if (found.isEmpty()) {
            return new Decision(new Refused("checkId", "no peer check " + report.checkId(), true), null, null);
        }
        PeerCheckStore.Check check = found.get();
        if (!"ISSUED".equals(check.state()) || !peerId.equals(check.peerId())) {
            return new Decision(new Refused("checkId", "peer check " + check.id() + " is not waiting for " + peerId, true), null, null);
        }
        float[] got = report.rgb();
        if (got.length != check.pixels() * 3) {
            return new Decision(new Refused("rgb", "the check names " + check.pixels() + " pixels: " + check.pixels() * 3
                    + " floats are expected", false), null, null);
        }
        int wrongKnown = 0;
        int mismatches = 0;
        List<SampledPixel> evidence = new ArrayList<>();
        for (int i = 0; i < check.pixels(); i++) {
            boolean same = true;
            for (int ch = 0; ch < 3; ch++) {
                same &= Float.floatToIntBits(got[i * 3 + ch]) == Float.floatToIntBits(check.expected()[i * 3 + ch]);
            }
            if (check.known()[i]) {
                wrongKnown += same ? 0 : 1;
            } else {
                mismatches += same ? 0 : 1;
                evidence.add(new SampledPixel(check.xy()[2 * i], check.xy()[2 * i + 1],
                        new float[]{got[i * 3], got[i * 3 + 1], got[i * 3 + 2]},
                        new float[]{check.expected()[i * 3], check.expected()[i * 3 + 1], check.expected()[i * 3 + 2]}, same));
            }
        }
        if (wrongKnown > 0) {
            long slashed = postings.slashPeer(c, check.id(), check.jobId(), peerId).orElse(0L);
            PeerCheckStore.exclude(c, check.id(), peerId);
            PeerCheckStore.decide(c, check.id(), "OPEN", peerId + " got " + wrongKnown + " known-answer pixels wrong", got,
                    report.signature());
            LOG.infof("peer check %d: %s got %d known answers wrong; slashed %d", check.id(), peerId, wrongKnown, slashed);
            return new Decision(new Lied(wrongKnown, slashed), null, null);
        }
        if (mismatches > 0) {
            PeerCheckStore.decide(c, check.id(), "REFEREE", mismatches + " of " + evidence.size() + " pixels differ between "
                    + check.workerId() + " and " + peerId, got, report.signature());
            return new Decision(new Disputed(mismatches), null, check.result());
        }
        PeerCheckStore.decide(c, check.id(), "PASSED", "", got, report.signature());
        long fee = fee(c, check, peerId);
        return new Decision(new Passed(fee), TileVerdict.pass(check.result(), evidence), null);
    }

    /**
     * The trusted verifier's verdict on a disputed tile settles the check: the worker's tile passed, so the peer reported
     * pixels it did not render and is slashed; or the tile failed (the worker answers as for any failed verdict) and the
     * peer that caught it earns its fee.
     */
    public void settle(TileVerdict v) {
        if (v.jobId() == null) {
            return;
        }
        tx.inTransaction(c -> {
            Optional<PeerCheckStore.Check> found = PeerCheckStore.refereed(c, v.jobId(), v.frame(), v.tile(), v.attempt());
            if (found.isEmpty() || !found.get().workerId().equals(v.workerId()) || (!v.passed() && !v.attributable())) {
                return null;
            }
            PeerCheckStore.Check check = found.get();
            if (v.passed()) {
                postings.slashPeer(c, check.id(), check.jobId(), check.peerId());
                PeerCheckStore.decide(c, check.id(), "FAILED", "the referee passed the tile: " + check.peerId() + " was wrong", null, null);
            } else {
                fee(c, check, check.peerId());
                PeerCheckStore.decide(c, check.id(), "FAILED", "the referee failed the tile: " + check.workerId() + " was wrong", null, null);
            }
            return null;
        });
    }

    /** Checks that found no peer in time go to the trusted verifier; returns how many. */
    public int handOverUnclaimed(int limit) {
        List<TileResult> lapsed = tx.inTransaction(c -> {
            List<TileResult> out = new ArrayList<>();
            for (long id : PeerCheckStore.unclaimed(c, waitSeconds, reissueSeconds, limit)) {
                PeerCheckStore.Check check = PeerCheckStore.find(c, id, false).orElseThrow();
                PeerCheckStore.decide(c, id, "FAILED", "no peer took the check in " + waitSeconds + " s: the trusted verifier checks it",
                        null, null);
                out.add(check.result());
            }
            return out;
        });
        for (TileResult r : lapsed) {
            referee.judge(forVerifier(r));
        }
        return lapsed.size();
    }

    /** A job's peer checks by state and the verification fees paid from its escrow. */
    public record JobView(int feePercent, Map<String, Integer> checks, long feesPaid) {
    }

    public JobView forJob(String jobId) {
        return tx.inTransaction(c -> new JobView(feePercent, PeerCheckStore.counts(c, jobId), PeerCheckPostings.feesPaid(c, jobId)));
    }

    private long fee(Connection c, PeerCheckStore.Check check, String peerId) throws SQLException {
        Optional<Job> job = JobStore.find(c, check.jobId(), false);
        if (job.isEmpty()) {
            return 0;
        }
        long fee = PeerCheckPostings.fee(Quote.tilePrice(job.get().settings(), job.get().tier(), check.result().task().rect()), feePercent);
        return postings.payFee(c, check.id(), check.jobId(), check.frame(), check.tile(), peerId, fee).orElse(0L);
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

    /** The result as the trusted verifier takes it: the worker's signature still holds, it covers no checker. */
    private TileResult forVerifier(TileResult r) {
        return new TileResult(tasks.forVerifier(r.task()), r.workerId(), r.renderMillis(), r.tileSha256(), r.signature());
    }
}
