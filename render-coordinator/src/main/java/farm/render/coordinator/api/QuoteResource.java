package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.planning.JobRequest;
import farm.render.coordinator.planning.JobSubmission;
import farm.render.coordinator.planning.QuoteEstimate;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Prices before launch: the same body as a job, validated the same way, with no side effects. */
@Path("/api/v1/quotes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
public class QuoteResource {
    private final JobSubmission submission;
    private final Caller caller;
    private final Owned owned;

    public QuoteResource(JobSubmission submission, Caller caller, Owned owned) {
        this.caller = caller;
        this.owned = owned;
        this.submission = submission;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Price a job before launching it", description = "Takes the body POST /api/v1/jobs takes and answers"
            + " with the estimate, its range and the escrow launching would hold; creates nothing.")
    @APIResponse(responseCode = "200", description = "The price of the job this request would create",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = QuoteEstimate.class)))
    public QuoteEstimate quote(JobRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400, "a JSON job request is required"));
        }
        owned.scene(request.sceneDigest());
        return submission.quote(request, caller.name());
    }
}
