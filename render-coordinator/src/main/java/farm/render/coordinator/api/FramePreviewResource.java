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

import java.util.function.Supplier;

/** A frame with a visible watermark: what the page shows until the artist approves the frame. */
@Path("/api/v1/jobs/{id}/frames/{frame}/preview.png")
@Tag(name = "jobs")
public class FramePreviewResource {
    private final FrameAccess frames;
    private final Caller caller;

    public FramePreviewResource(FrameAccess frames, Caller caller) {
        this.frames = frames;
        this.caller = caller;
    }

    @GET
    @Produces({"image/png", Problem.MEDIA_TYPE})
    @Operation(summary = "A watermarked preview of an assembled frame")
    @APIResponse(responseCode = "200", description = "The frame with PREVIEW written across it",
            content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such job or frame for this account, or the frame is not assembled yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response preview(@PathParam("id") String id, @PathParam("frame") int frame) {
        return Response.ok(available(() -> frames.preview(caller.name(), id, frame)), "image/png").build();
    }

    /**
     * Runs {@code call}, turning an unavailable job or frame into its problem: 404 for what this account
     * cannot see or what is not assembled, 409 for what the frame's approval decides.
     */
    static <T> T available(Supplier<T> call) {
        try {
            return call.get();
        } catch (FrameAccess.Unavailable e) {
            throw switch (e.why()) {
                case UNKNOWN_JOB -> ProblemException.notFound("unknown-job", e.getMessage());
                case UNKNOWN_FRAME -> ProblemException.notFound("unknown-frame", e.getMessage());
                case NOT_READY -> ProblemException.notFound("frame-not-ready", e.getMessage());
                case NOT_APPROVED -> conflict("frame-not-approved", "Frame not approved", e.getMessage());
                case APPROVED -> conflict("frame-approved", "Frame approved", e.getMessage());
                case JOB_ENDED -> conflict("job-ended", "Job ended", e.getMessage());
            };
        }
    }

    static ProblemException conflict(String slug, String title, String detail) {
        return new ProblemException(Problem.of(slug, title, 409, detail));
    }
}
