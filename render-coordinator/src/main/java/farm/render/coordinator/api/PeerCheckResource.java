package farm.render.coordinator.api;

import farm.render.coordinator.peers.PeerChecks;
import farm.render.coordinator.peers.PeerReports;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /api/v1/workers/{id}/peer-checks}: a worker hands in the pixels of the peer check a claim assigned it, and
 * the coordinator compares them bit for bit with the checked worker's tile and the known answers (see {@link PeerReports});
 * {@code POST …/peer-checks/next}: an idle worker takes the check it may do now.
 */
@Path("/api/v1/workers/{id}/peer-checks")
@Produces(MediaType.APPLICATION_JSON)
public class PeerCheckResource {
    private final PeerChecks checks;
    private final PeerReports reports;
    private final OwnedWorkerKeys keys;

    public PeerCheckResource(PeerChecks checks, PeerReports reports, OwnedWorkerKeys keys) {
        this.checks = checks;
        this.reports = reports;
        this.keys = keys;
    }

    /**
     * What the coordinator made of the report: {@code passed} (the tile passed, {@code fee} paid), {@code upheld} (as a third
     * peer, it agreed with the peer that disputed the tile: the tile failed, {@code fee} paid), {@code lied} (known answers
     * wrong, {@code slashed} taken), or {@code disputed} (a third peer or the trusted verifier referees).
     */
    public record PeerCheckView(long checkId, String outcome, long fee, long slashed, int mismatches) {
    }

    /** The check a worker may do now, or none. */
    public record NextCheck(PeerCheckAssignment check) {
    }

    @POST
    @Path("/next")
    @Operation(summary = "Take the next peer check for an idle worker", description = "Workers you registered only. A worker"
            + " that has no ticket at hand asks for the peer check it may do now (a result of an equivalent numerical class,"
            + " rendered by another owner's worker); it is issued to this worker, which reports its pixels as for a check a"
            + " claim assigned. {check: null} when none waits for it.")
    public NextCheck next(@PathParam("id") String id) {
        keys.requireOwn(id);
        return new NextCheck(checks.next(id).orElse(null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report a worker's peer-check pixels", description = "Workers you registered only, for the peer check a"
            + " claim assigned them (refusal peer-check-first): {checkId, workerId, rgb, signature}, three floats per assigned"
            + " pixel in assignment order, signed with the worker's key. 409 when the check is not waiting for that worker.")
    public PeerCheckView report(@PathParam("id") String id, PeerCheckReport body) {
        PeerReports.Outcome outcome = reports.report(id, body, keys.keyFor(id, body, "{checkId, workerId, rgb, signature}"));
        if (outcome instanceof PeerReports.Refused r) {
            throw new ProblemException(Problem.of(r.conflict() ? "peer-check-not-open" : "invalid-peer-check",
                    r.conflict() ? "No open peer check" : "Invalid peer-check report", r.conflict() ? 409 : 400, r.detail())
                    .withField(r.field()));
        }
        if (outcome instanceof PeerReports.Passed p) {
            return new PeerCheckView(body.checkId(), "passed", p.fee(), 0, 0);
        }
        if (outcome instanceof PeerReports.Upheld u) {
            return new PeerCheckView(body.checkId(), "upheld", u.fee(), 0, 0);
        }
        if (outcome instanceof PeerReports.Lied l) {
            return new PeerCheckView(body.checkId(), "lied", 0, l.slashed(), l.wrongKnown());
        }
        return new PeerCheckView(body.checkId(), "disputed", 0, 0, ((PeerReports.Disputed) outcome).mismatches());
    }
}
