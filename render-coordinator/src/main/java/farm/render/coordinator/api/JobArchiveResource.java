package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.frames.FrameAccess;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Every approved frame of a job in one zip, as PNG and EXR, streamed a frame at a time. */
@Path("/api/v1/jobs/{id}/frames.zip")
@Tag(name = "jobs")
public class JobArchiveResource {
    private final FrameAccess frames;
    private final Caller caller;

    public JobArchiveResource(FrameAccess frames, Caller caller) {
        this.frames = frames;
        this.caller = caller;
    }

    @GET
    @Produces({"application/zip", Problem.MEDIA_TYPE})
    @Operation(summary = "Download the job's approved frames as a zip",
            description = "Each approved frame as JOB-frame-N.png (sRGB) and JOB-frame-N.exr (linear float); frames not approved"
                    + " yet, or still rendering, are left out.")
    @APIResponse(responseCode = "200", description = "The archive",
            content = @Content(mediaType = "application/zip", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such job for this account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No frame of the job is approved yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response zip(@PathParam("id") String id) {
        List<Integer> approved = FramePreviewResource.available(() -> frames.approved(caller.name(), id));
        if (approved.isEmpty()) {
            throw FramePreviewResource.conflict("frame-not-approved", "No frame approved", "no frame of job " + id
                    + " is approved yet; the archive holds approved frames only");
        }
        StreamingOutput body = out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.setLevel(0); // PNG and EXR are compressed already
                for (int frame : approved) {
                    for (FrameAccess.Format format : FrameAccess.Format.values()) {
                        zip.putNextEntry(new ZipEntry(id + "-frame-" + frame + "." + format.extension));
                        zip.write(frames.approvedFrame(id, frame, format));
                        zip.closeEntry();
                    }
                }
            }
        };
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + id + "-frames.zip\"").build();
    }
}
