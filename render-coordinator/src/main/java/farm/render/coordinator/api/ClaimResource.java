package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.Ownership;
import farm.render.coordinator.claims.TileClaims;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.ClaimRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /api/v1/workers/{id}/claims}: a worker claims the tickets it acquired from its share group, in one
 * request per poll, over its owner's authenticated link, and gets each task (bound to it, with short-lived URLs) or
 * a refusal (see {@link TileClaims}).
 */
@Path("/api/v1/workers/{id}/claims")
@Produces(MediaType.APPLICATION_JSON)
public class ClaimResource {
    private final TileClaims claims;
    private final Caller caller;
    private final Ownership ownership;

    public ClaimResource(TileClaims claims, Caller caller, Ownership ownership) {
        this.claims = claims;
        this.caller = caller;
        this.ownership = ownership;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Claim acquired tile tickets for a worker", description = "Workers you registered only. Each ticket"
            + " (jobId, frame, tile, attempt) is answered in order with its task, bound to this worker and signed by the"
            + " coordinator, or with a refusal: held-by-another-worker, tier-not-allowed, device-memory-too-small (the job"
            + " needs more than deviceMemoryBytes, the device memory the claim declares one task may use; a claim without it"
            + " declares none), worker-avoided, worker-blocked or stale-ticket; or probe-tiles-first with the probe run a worker of an unproven numerical class renders instead"
            + " (see POST /api/v1/workers/{id}/probes). Acknowledge (ACCEPT) a refused ticket: the coordinator publishes"
            + " the tile again where needed.")
    public ClaimAnswer.Batch claim(@PathParam("id") String id, ClaimRequest body) {
        if (ownership.workerOwner(id).filter(caller.name()::equals).isEmpty()) {
            throw ProblemException.notFound("unknown-worker", "no worker " + id);
        }
        if (body == null || body.tickets().isEmpty()) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "a JSON body {tickets: [{jobId, frame, tile, attempt}, ...]} with at least one ticket is required").withField("tickets"));
        }
        if (body.tickets().size() > TileClaims.MAX_TICKETS) {
            throw new ProblemException(Problem.of("too-many-tickets", "Too many tickets", 400,
                    "a claim names at most " + TileClaims.MAX_TICKETS + " tickets").withField("tickets"));
        }
        if (body.tickets().stream().anyMatch(t -> t == null || t.jobId() == null || t.jobId().length() > 64)) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "every ticket names its jobId, frame, tile and attempt").withField("tickets"));
        }
        if (body.deviceMemoryBytes() != null && body.deviceMemoryBytes() < 0) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "deviceMemoryBytes is the device memory one task may use: 0 or more").withField("deviceMemoryBytes"));
        }
        return claims.claim(id, body.tickets(), body.deviceMemoryBytes());
    }
}
