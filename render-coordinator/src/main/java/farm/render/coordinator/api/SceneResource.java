package farm.render.coordinator.api;

import farm.render.coordinator.intake.SceneIntake;
import farm.render.coordinator.intake.SceneRecord;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.SceneImporter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.TreeSet;

/** Scene upload: the raw file as the body, its name in {@code ?filename=}. */
@Path("/api/v1/scenes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scenes", description = "Upload scenes; each is imported, validated and compiled once, by content digest")
public class SceneResource {
    private final SceneIntake intake;

    public SceneResource(SceneIntake intake) {
        this.intake = intake;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload a scene", description = "The raw file is the body; its name, in ?filename=, says its format."
            + " Answers with the validation result and a summary (triangles, materials, unsupported features, animation frames).")
    @RequestBody(description = "The scene file as uploaded (glTF, GLB, OBJ, FBX, DAE, PLY, STL…)",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "201", description = "A new scene, imported and compiled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SceneRecord.class)))
    @APIResponse(responseCode = "200", description = "The same bytes were uploaded before",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SceneRecord.class)))
    @APIResponse(responseCode = "413", description = "The upload is larger than the coordinator accepts",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not a format the farm imports",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The file is not a valid scene; detail says why",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response upload(@Parameter(description = "The file's name, e.g. cornell-box.gltf", required = true)
                           @QueryParam("filename") String filename,
                           @Parameter(hidden = true) @HeaderParam("Content-Length") Long contentLength,
                           @Parameter(hidden = true) InputStream body) throws IOException {
        if (filename == null || filename.isBlank()) {
            throw new ProblemException(Problem.of("missing-filename", "Missing file name", 400,
                    "give the file's name as ?filename=NAME.ext so its format is known").withField("filename"));
        }
        String name = baseName(filename);
        String extension = SceneIntake.extension(name).orElseThrow(() -> new ProblemException(Problem.of(
                "unsupported-scene-format", "Unsupported scene format", 415,
                "'" + name + "' is not one of the formats the farm imports: " + new TreeSet<>(SceneImporter.EXTENSIONS))
                .withField("filename")));
        long max = intake.maxUploadBytes();
        if (contentLength != null && contentLength > max) {
            throw tooLarge(max);
        }
        byte[] source = readCapped(body, max).orElseThrow(() -> tooLarge(max));
        if (source.length == 0) {
            throw new ProblemException(Problem.of("invalid-scene", "Invalid scene", 422, "the upload is empty").withField("body"));
        }
        SceneIntake.Accepted accepted;
        try {
            accepted = intake.accept(name, extension, source);
        } catch (InvalidSceneException e) {
            throw new ProblemException(Problem.of("invalid-scene", "Invalid scene", 422, e.getMessage()).withField("body"));
        }
        SceneRecord scene = accepted.scene();
        return accepted.created()
                ? Response.created(URI.create("/api/v1/scenes/" + scene.digest())).entity(scene).build()
                : Response.ok(scene).build();
    }

    @GET
    @Path("/{digest}")
    @Operation(summary = "A scene's summary by digest")
    @APIResponse(responseCode = "200", description = "The scene",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SceneRecord.class)))
    public SceneRecord get(@PathParam("digest") String digest) {
        return intake.find(digest).orElseThrow(() -> ProblemException.notFound("unknown-scene", "no scene with digest " + digest));
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(Problem.of("upload-too-large", "Upload too large", 413,
                "scene uploads are limited to " + max + " bytes").withField("body"));
    }

    /** The name without any directory part a browser or script may have sent. */
    static String baseName(String filename) {
        String n = filename.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }

    /** Reads at most {@code max} bytes; empty when the stream holds more. */
    static Optional<byte[]> readCapped(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        long total = 0;
        for (int n; (n = in.read(chunk)) != -1; ) {
            total += n;
            if (total > max) {
                return Optional.empty();
            }
            out.write(chunk, 0, n);
        }
        return Optional.of(out.toByteArray());
    }
}
