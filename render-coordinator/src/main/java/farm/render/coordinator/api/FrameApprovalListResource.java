package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.frames.FrameAccess;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Which frames of a job the artist has approved. */
@Path("/api/v1/jobs/{id}/approvals")
@Tag(name = "jobs")
public class FrameApprovalListResource {
    private final FrameAccess frames;
    private final Caller caller;

    public FrameApprovalListResource(FrameAccess frames, Caller caller) {
        this.frames = frames;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The frames of a job approved so far")
    @APIResponse(responseCode = "200", description = "Frame numbers, in order", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Integer.class)))
    @APIResponse(responseCode = "404", description = "No such job for this account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<Integer> approved(@PathParam("id") String id) {
        return FramePreviewResource.available(() -> frames.approved(caller.name(), id));
    }
}
