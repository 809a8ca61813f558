package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.claims.TileClaims;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code PUT|DELETE /api/v1/workers/{id}/block}: operators block a worker (its claims are refused) or lift the block. */
@Path("/api/v1/workers/{id}/block")
@Produces(MediaType.APPLICATION_JSON)
public class WorkerBlockResource {
    private final TileClaims claims;
    private final Caller caller;

    public WorkerBlockResource(TileClaims claims, Caller caller) {
        this.claims = claims;
        this.caller = caller;
    }

    /** Why the worker is blocked. */
    public record Block(String reason) {
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Block a worker (operators only)", description = "Its claims are refused until the block is lifted;"
            + " tiles it holds already still count if it finishes them.")
    public Block block(@PathParam("id") String id, Block body) {
        operatorOnly();
        String reason = body == null || body.reason() == null || body.reason().isBlank() ? "blocked by the operator" : body.reason().strip();
        if (reason.length() > 500) {
            throw new ProblemException(Problem.of("invalid-reason", "Invalid reason", 400, "reason is at most 500 characters")
                    .withField("reason"));
        }
        if (!claims.setBlocked(id, reason)) {
            throw ProblemException.notFound("unknown-worker", "no worker " + id);
        }
        return new Block(reason);
    }

    @DELETE
    @Operation(summary = "Lift a worker's block (operators only)")
    public Response unblock(@PathParam("id") String id) {
        operatorOnly();
        if (!claims.setBlocked(id, null)) {
            throw ProblemException.notFound("unknown-worker", "no worker " + id);
        }
        return Response.noContent().build();
    }

    private void operatorOnly() {
        if (!caller.operator()) {
            throw new ProblemException(Problem.of("operator-only", "Operators only", 403, "only an operator may block workers"));
        }
    }
}
