package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Ownership;
import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.intake.SceneIntake;
import farm.render.coordinator.intake.SceneThumbnails;
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

/** A scene's thumbnail: a quick rasterized look through the scene's camera. */
@Path("/api/v1/scenes/{digest}/thumbnail.png")
@Tag(name = "scenes")
public class SceneThumbnailResource {
    private final SceneIntake intake;
    private final SceneThumbnails thumbnails;
    private final Caller caller;
    private final Ownership ownership;

    public SceneThumbnailResource(SceneIntake intake, SceneThumbnails thumbnails, Caller caller, Ownership ownership) {
        this.caller = caller;
        this.ownership = ownership;
        this.intake = intake;
        this.thumbnails = thumbnails;
    }

    @GET
    @Produces({"image/png", Problem.MEDIA_TYPE})
    @Operation(summary = "A scene's thumbnail", description = "A " + SceneThumbnails.WIDTH + "×" + SceneThumbnails.HEIGHT
            + " PNG through the scene's camera at its first frame: flat shading of the base colours, emissive surfaces"
            + " at their emission; no textures, shadows or reflections.")
    @APIResponse(responseCode = "200", description = "The thumbnail",
            content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such scene, or a scene stored without a thumbnail", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response thumbnail(@PathParam("digest") String digest) {
        intake.find(digest).filter(sc -> ownership.ownsScene(caller.name(), digest)).orElseThrow(() -> ProblemException.notFound("unknown-scene", "no scene with digest " + digest));
        byte[] png = thumbnails.png(digest).orElseThrow(() -> ProblemException.notFound("no-thumbnail", "scene " + digest + " has no thumbnail"));
        return Response.ok(png, "image/png").header("Cache-Control", "private, max-age=86400").build();
    }
}
