package farm.render.coordinator.api;

import farm.render.coordinator.classes.NumericalClasses;
import farm.render.core.wire.ProbeReport;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /api/v1/workers/{id}/probes}: a worker hands in the digests of the probe tiles a claim assigned it, and the
 * coordinator compares them with the trusted verifier's bit for bit (see {@link NumericalClasses}).
 */
@Path("/api/v1/workers/{id}/probes")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {
    private final NumericalClasses classes;
    private final OwnedWorkerKeys keys;

    public ProbeResource(NumericalClasses classes, OwnedWorkerKeys keys) {
        this.classes = classes;
        this.keys = keys;
    }

    /** What the coordinator made of a probe run: how many probes differed from the reference, and the class's status now. */
    public record ProbeRunView(String classId, int mismatches, String status) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report a worker's probe-tile digests", description = "Workers you registered only, for the probe run a"
            + " claim assigned them (refusal probe-tiles-first): {workerId, classId, digests, signature}, the digests in probe"
            + " order and signed with the worker's key. 409 when no run was assigned for that class or it was reported already.")
    public ProbeRunView report(@PathParam("id") String id, ProbeReport body) {
        NumericalClasses.ReportOutcome outcome = classes.accept(id, body, keys.keyFor(id, body, "{workerId, classId, digests, signature}"));
        if (outcome instanceof NumericalClasses.Refused refused) {
            throw new ProblemException(Problem.of(refused.conflict() ? "probe-run-not-open" : "invalid-probe-report",
                    refused.conflict() ? "No open probe run" : "Invalid probe report", refused.conflict() ? 409 : 400,
                    refused.detail()).withField(refused.field()));
        }
        NumericalClasses.Recorded recorded = (NumericalClasses.Recorded) outcome;
        return new ProbeRunView(body.classId(), recorded.mismatches(), recorded.status().label());
    }
}
