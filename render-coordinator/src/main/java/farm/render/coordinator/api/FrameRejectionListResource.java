package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.frames.FrameRejections;
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

/** Every rejection of a job's frames: who rendered the rejected version, when, why and what the re-render cost. */
@Path("/api/v1/jobs/{id}/rejections")
@Tag(name = "jobs")
public class FrameRejectionListResource {
    private final FrameRejections rejections;
    private final Caller caller;

    public FrameRejectionListResource(FrameRejections rejections, Caller caller) {
        this.rejections = rejections;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The rejections of a job's frames, oldest first")
    @APIResponse(responseCode = "200", description = "One row per rejected generation of a frame", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = FrameRejections.Rejection.class)))
    @APIResponse(responseCode = "404", description = "No such job for this account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<FrameRejections.Rejection> rejections(@PathParam("id") String id) {
        return FramePreviewResource.available(() -> rejections.rejections(caller.name(), id));
    }
}
