package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.frames.FrameAccess;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A full, unwatermarked frame: sRGB PNG or linear float EXR, once the artist has approved it. */
@Path("/api/v1/jobs/{id}/frames")
@Tag(name = "jobs")
public class FrameResource {
    private final FrameAccess frames;
    private final Caller caller;

    public FrameResource(FrameAccess frames, Caller caller) {
        this.frames = frames;
        this.caller = caller;
    }

    @GET
    @Path("/{frame}.png")
    @Produces({"image/png", Problem.MEDIA_TYPE})
    @Operation(summary = "Download an approved frame as PNG", description = "8-bit sRGB (Standard view). Until the frame is"
            + " approved only its watermarked preview is served.")
    @APIResponse(responseCode = "200", description = "The frame",
            content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such job or frame for this account, or the frame is not assembled yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The frame is assembled but not approved",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response png(@PathParam("id") String id, @PathParam("frame") int frame) {
        return serve(id, frame, FrameAccess.Format.PNG);
    }

    @GET
    @Path("/{frame}.exr")
    @Produces({"image/x-exr", Problem.MEDIA_TYPE})
    @Operation(summary = "Download an approved frame as OpenEXR", description = "Linear light, 32-bit float B, G, R channels,"
            + " ZIP compressed. Until the frame is approved only its watermarked preview is served.")
    @APIResponse(responseCode = "200", description = "The frame",
            content = @Content(mediaType = "image/x-exr", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such job or frame for this account, or the frame is not assembled yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The frame is assembled but not approved",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response exr(@PathParam("id") String id, @PathParam("frame") int frame) {
        return serve(id, frame, FrameAccess.Format.EXR);
    }

    private Response serve(String id, int frame, FrameAccess.Format format) {
        byte[] bytes = FramePreviewResource.available(() -> frames.frame(caller.name(), id, frame, format));
        return Response.ok(bytes, format.mediaType)
                .header("Content-Disposition", "attachment; filename=\"" + id + "-frame-" + frame + "." + format.extension + "\"")
                .build();
    }
}
