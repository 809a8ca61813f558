package farm.render.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.frames.FrameRejections;
import farm.render.coordinator.ledger.InsufficientFundsException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The artist rejects an assembled frame, which is rendered again elsewhere and paid for from a top-up of the escrow. */
@Path("/api/v1/jobs/{id}/frames/{frame}/reject")
@Tag(name = "jobs")
public class FrameRejectionResource {
    /** Why the frame is rejected, for the record; optional. */
    public record RejectRequest(String reason) {
    }

    private final FrameRejections rejections;
    private final Caller caller;
    private final ObjectMapper json;

    public FrameRejectionResource(FrameRejections rejections, Caller caller, ObjectMapper json) {
        this.rejections = rejections;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD) // the body is optional: a bare POST rejects without a reason
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reject an assembled frame and render it again", description = "Records who rejected it, when and"
            + " why; moves the frame's price from the account to the job's escrow; sends every tile of the frame back to render"
            + " as the frame's next generation, asking the workers that rendered it to leave the tiles to others where any"
            + " other worker is about. The new generation is verified and paid once per tile and assembled again; a completed"
            + " job runs again until it is.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RejectRequest.class)))
    @APIResponse(responseCode = "200", description = "The rejection", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FrameRejections.Rejection.class)))
    @APIResponse(responseCode = "400", description = "The reason is too long",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "402", description = "The account cannot pay for the re-render",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such job or frame for this account, or the frame is not assembled yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The frame was approved, or the job failed or was cancelled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public FrameRejections.Rejection reject(@PathParam("id") String id, @PathParam("frame") int frame, String body) {
        String reason = reason(body);
        if (reason != null && reason.length() > FrameRejections.MAX_REASON) {
            throw new ProblemException(Problem.of("invalid-reason", "Invalid reason", 400, "the reason is " + reason.length()
                    + " characters; at most " + FrameRejections.MAX_REASON + " are kept").withField("reason"));
        }
        try {
            return FramePreviewResource.available(() -> rejections.reject(caller.name(), id, frame, reason));
        } catch (InsufficientFundsException e) {
            throw new ProblemException(Problem.of("insufficient-funds", "Insufficient funds", 402, "rendering frame " + frame
                    + " again costs " + e.required() + " micro-tokens, moved to the job's escrow from " + e.account() + ", which holds "
                    + e.balance() + "; nothing was changed"));
        }
    }

    private String reason(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readValue(body, RejectRequest.class).reason();
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "the body is not {\"reason\": \"…\"}: " + e.getOriginalMessage()));
        }
    }
}
