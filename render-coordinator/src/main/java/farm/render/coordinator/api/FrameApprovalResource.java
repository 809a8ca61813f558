package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.frames.FrameAccess;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The artist approves an assembled frame; until then the page shows its watermarked preview. */
@Path("/api/v1/jobs/{id}/frames/{frame}/approve")
@Tag(name = "jobs")
public class FrameApprovalResource {
    private final FrameAccess frames;
    private final Caller caller;

    public FrameApprovalResource(FrameAccess frames, Caller caller) {
        this.frames = frames;
        this.caller = caller;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve an assembled frame", description = "Recorded once; approving again answers with the first approval.")
    @APIResponse(responseCode = "200", description = "The approval", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FrameAccess.Approval.class)))
    @APIResponse(responseCode = "404", description = "No such job or frame for this account, or the frame is not assembled yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public FrameAccess.Approval approve(@PathParam("id") String id, @PathParam("frame") int frame) {
        return FramePreviewResource.available(() -> frames.approve(caller.name(), id, frame));
    }
}
