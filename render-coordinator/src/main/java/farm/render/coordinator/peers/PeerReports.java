package farm.render.coordinator.peers;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.ledger.PeerCheckPostings;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.planning.Quote;
import farm.render.coordinator.verdicts.VerdictHandler;
import farm.render.core.classes.PeerCheckPixels;
import farm.render.core.image.PixelComparison;
import farm.render.core.wire.PeerCheckReport;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Judges peers' reports ({@link PeerCheckPixels#judge}). A wrong known answer slashes the peer and reopens the check for
 * another. Pixels equal to the worker's pass the tile through the ordinary verdict path (paid once) and pay the peer a fee
 * from the escrow. A difference is a dispute: a third peer of an equivalent class (not the first one's key or owner)
 * re-renders the same pixels; the side it agrees with bit for bit is right (the other peer is slashed, or the worker fails
 * as for any failed verdict, and each peer that was right earns its fee). A third peer that agrees with neither, or none
 * in time, sends the tile to the trusted verifier as referee, whose verdict {@link #settle}s the check.
 */
@ApplicationScoped
public class PeerReports {
    private static final Logger LOG = Logger.getLogger(PeerReports.class);

    /** What became of a peer's report. */
    public sealed interface Outcome {
    }

    /** The pixels matched: the tile passed and the peer earned {@code fee}. */
    public record Passed(long fee) implements Outcome {
    }

    /** The peer got {@code wrongKnown} known answers wrong: it lost {@code slashed} of its stake and the check goes to another. */
    public record Lied(int wrongKnown, long slashed) implements Outcome {
    }

    /** As a third peer, the peer agreed with the peer that disputed the tile: the worker's tile failed and it earned {@code fee}. */
    public record Upheld(long fee) implements Outcome {
    }

    /** {@code mismatches} of the tile's pixels differ from the worker's: a third peer or the trusted verifier referees. */
    public record Disputed(int mismatches) implements Outcome {
    }

    /** Not taken; {@code conflict} when the report came at the wrong time rather than malformed. */
    public record Refused(String field, String detail, boolean conflict) implements Outcome {
    }

    private record Decision(Outcome outcome, TileVerdict verdict, TileResult referee) {
        static Decision of(Outcome outcome) {
            return new Decision(outcome, null, null);
        }
    }

    private final Transactions tx;
    private final PeerChecks checks;
    private final VerdictHandler verdicts;
    private final PeerCheckPostings postings;
    private final RefereeQueue referee;
    private final int feePercent;

    public PeerReports(Transactions tx, PeerChecks checks, VerdictHandler verdicts, PeerCheckPostings postings, RefereeQueue referee,
                       FarmConfig config) {
        this.tx = tx;
        this.checks = checks;
        this.verdicts = verdicts;
        this.postings = postings;
        this.referee = referee;
        this.feePercent = Math.max(0, config.peers().feePercent());
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
        if (d.verdict() != null) {
            verdicts.handle(d.verdict());
        }
        if (d.referee() != null) {
            referee.judge(d.referee());
        }
        return d.outcome();
    }

    private Decision decide(Connection c, String peerId, PeerCheckReport report) throws SQLException {
        Optional<PeerCheckStore.Check> found = PeerCheckStore.find(c, report.checkId(), true);
        if (found.isEmpty()) {
            return Decision.of(new Refused("checkId", "no peer check " + report.checkId(), true));
        }
        PeerCheckStore.Check check = found.get();
        if (!"ISSUED".equals(check.state()) || !peerId.equals(check.peerId())) {
            return Decision.of(new Refused("checkId", "peer check " + check.id() + " is not waiting for " + peerId, true));
        }
        float[] got = report.rgb();
        if (got.length != check.size() * 3) {
            return Decision.of(new Refused("rgb", "the check names " + check.size() + " pixels: " + check.size() * 3
                    + " floats are expected", false));
        }
        PeerCheckPixels.Judgement j = check.pixels().judge(got, PixelComparison.DEFAULT);
        if (j.wrongKnown() > 0) {
            long slashed = postings.slashPeer(c, check.id(), check.jobId(), peerId).orElse(0L);
            PeerCheckStore.exclude(c, check.id(), peerId);
            PeerCheckStore.decide(c, check.id(), "OPEN", peerId + " got " + j.wrongKnown() + " known-answer pixels wrong", got,
                    report.signature());
            LOG.infof("peer check %d: %s got %d known answers wrong; slashed %d", check.id(), peerId, j.wrongKnown(), slashed);
            return Decision.of(new Lied(j.wrongKnown(), slashed));
        }
        if (check.disputedBy() != null) {
            return referee(c, check, peerId, report, j);
        }
        if (j.mismatches() > 0) {
            PeerCheckStore.dispute(c, check.id(), peerId, got, report.signature(), j.mismatches() + " of " + j.evidence().size()
                    + " pixels differ between " + check.workerId() + " and " + peerId + ": a third peer referees");
            checks.publishCarrier(c, check);
            return Decision.of(new Disputed(j.mismatches()));
        }
        PeerCheckStore.decide(c, check.id(), "PASSED", "", got, report.signature());
        return new Decision(new Passed(fee(c, check, peerId)), TileVerdict.pass(check.result(), j.evidence()), null);
    }

    /** A third peer's report on a dispute: whichever side it matches bit for bit on the tile is right. */
    private Decision referee(Connection c, PeerCheckStore.Check check, String thirdId, PeerCheckReport report, PeerCheckPixels.Judgement j)
            throws SQLException {
        String first = check.disputedBy();
        if (j.mismatches() == 0) {
            postings.slashPeer(c, check.id(), check.jobId(), first);
            PeerCheckStore.decide(c, check.id(), "PASSED", thirdId + " agrees with " + check.workerId() + ": " + first
                    + " reported pixels it did not render", report.rgb(), report.signature());
            return new Decision(new Passed(fee(c, check, thirdId)), TileVerdict.pass(check.result(), j.evidence()), null);
        }
        if (check.pixels().sameOnTile(report.rgb(), check.disputedRgb())) {
            fee(c, check, first);
            long fee = fee(c, check, thirdId);
            PeerCheckStore.decide(c, check.id(), "FAILED", thirdId + " agrees with " + first + ": " + check.workerId()
                    + "'s tile differs from two peers' renders", report.rgb(), report.signature());
            return new Decision(new Upheld(fee), TileVerdict.fail(check.result(), j.mismatches() + " of " + j.evidence().size()
                    + " sampled pixels differ from two peers' re-renders of an equivalent numerical class", j.evidence()), null);
        }
        PeerCheckStore.decide(c, check.id(), "REFEREE", "three renders disagree: the trusted verifier referees", report.rgb(),
                report.signature());
        return new Decision(new Disputed(j.mismatches()), null, check.result());
    }

    /**
     * The trusted verifier's verdict on a disputed tile settles the check: the worker's tile passed, so the peer that
     * disputed it reported pixels it did not render and is slashed; or the tile failed (the worker answers as for any failed
     * verdict) and that peer earns its fee.
     */
    public void settle(TileVerdict v) {
        if (v.jobId() == null || v.awaitsPeer()) {
            return;
        }
        tx.inTransaction(c -> {
            Optional<PeerCheckStore.Check> found = PeerCheckStore.ofAttempt(c, v.jobId(), v.frame(), v.tile(), v.attempt(), "REFEREE");
            if (found.isEmpty() || !found.get().workerId().equals(v.workerId()) || (!v.passed() && !v.attributable())) {
                return null;
            }
            PeerCheckStore.Check check = found.get();
            // the peer that disputed the tile, and a third peer that agreed with neither side
            List<String> disputers = Stream.of(check.disputedBy(), check.peerId()).filter(Objects::nonNull).distinct().toList();
            if (v.passed()) {
                for (String peer : disputers) {
                    postings.slashPeer(c, check.id(), check.jobId(), peer);
                }
                PeerCheckStore.decide(c, check.id(), "FAILED", "the referee passed the tile: " + String.join(" and ", disputers)
                        + " reported pixels they did not render", null, null);
            } else {
                for (String peer : disputers) {
                    fee(c, check, peer);
                }
                PeerCheckStore.decide(c, check.id(), "FAILED", "the referee failed the tile: " + check.workerId() + " was wrong", null, null);
            }
            return null;
        });
    }

    private long fee(Connection c, PeerCheckStore.Check check, String peerId) throws SQLException {
        Optional<Job> job = JobStore.find(c, check.jobId(), false);
        if (job.isEmpty()) {
            return 0;
        }
        long fee = Quote.verificationFee(job.get().settings(), job.get().tier(), check.result().task().rect(), feePercent);
        return postings.payFee(c, check.id(), check.jobId(), check.frame(), check.tile(), peerId, fee).orElse(0L);
    }
}
