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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.TreeSet;

/** Scene upload: the raw file as the body, its name in {@code ?filename=}. */
@Path("/api/v1/scenes")
@Produces(MediaType.APPLICATION_JSON)
public class SceneResource {
    private final SceneIntake intake;

    public SceneResource(SceneIntake intake) {
        this.intake = intake;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response upload(@QueryParam("filename") String filename, @HeaderParam("Content-Length") Long contentLength,
                           InputStream body) throws IOException {
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
