package farm.render.coordinator.api;

import farm.render.coordinator.accounts.AuthFailure;
import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.Ownership;
import farm.render.coordinator.accounts.RateLimited;
import farm.render.coordinator.accounts.RateLimits;
import farm.render.coordinator.intake.SceneIntake;
import farm.render.coordinator.intake.SceneRecord;
import farm.render.coordinator.intake.UploadAdmission;
import farm.render.coordinator.intake.UploadSpool;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.SceneLimitException;
import farm.render.core.scene.SceneImporter;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.Future;
import io.vertx.core.file.FileSystemException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * Scene upload: the raw file as the body, its name in {@code ?filename=}. The body streams to a temporary
 * file through {@link UploadSpool} (capped, timed, on the event loop) and is imported on
 * {@link UploadAdmission}'s threads, so neither memory nor the HTTP worker threads grow with uploads.
 */
@Path("/api/v1/scenes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scenes", description = "Upload scenes; each is imported, validated and compiled once, by content digest")
public class SceneResource {
    private static final Logger LOG = Logger.getLogger(SceneResource.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    private final SceneIntake intake;
    private final Caller caller;
    private final Ownership ownership;
    private final UploadAdmission admission;
    private final UploadSpool spool;

    public SceneResource(SceneIntake intake, Caller caller, Ownership ownership, UploadAdmission admission, UploadSpool spool) {
        this.caller = caller;
        this.ownership = ownership;
        this.intake = intake;
        this.admission = admission;
        this.spool = spool;
    }

    @POST
    @Blocking // authentication and admission touch the database; the body itself is read on the event loop
    @RateLimited(RateLimits.Action.UPLOAD)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload a scene", description = "The raw file is the body; its name, in ?filename=, says its format."
            + " Answers with the validation result and a summary (triangles, materials, unsupported features, animation frames)."
            + " The body streams to disk and is cut off at the size limit; send large scenes as a resumable upload (/api/v1/uploads).")
    @RequestBody(description = "The scene file as uploaded (glTF, GLB, OBJ, FBX, DAE, PLY, STL…)",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "201", description = "A new scene, imported and compiled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SceneRecord.class)))
    @APIResponse(responseCode = "200", description = "The same bytes were uploaded before",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SceneRecord.class)))
    @APIResponse(responseCode = "408", description = "The body stopped, or arrived slower than the minimum rate",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The upload is larger than the coordinator accepts (upload-too-large), or the"
            + " scene passes a limit of the farm's (scene-over-limit): its triangles, its compiled package's bytes or the memory its"
            + " import needs; detail names the limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many uploads at once from this account; Retry-After says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not a format the farm imports",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The file is not a valid scene; detail says why",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The coordinator is receiving as many uploads as it takes; try again shortly",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> upload(@Parameter(description = "The file's name, e.g. cornell-box.gltf", required = true)
                                            @QueryParam("filename") String filename,
                                            @Context HttpServerRequest http, @Context UriInfo uri) {
        UploadAdmission.Slot slot = null;
        java.nio.file.Path file = null;
        try {
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
            if (declaredLength(http) > max) {
                throw tooLarge(max); // refused before a byte of the body is read
            }
            String account = caller.name();
            URI scenes = uri.getBaseUri().resolve("api/v1/scenes/"); // the import thread has no request context
            try {
                slot = admission.admit(account);
            } catch (UploadAdmission.Refused e) {
                throw busy(e);
            }
            Future<Long> body;
            try {
                file = spool.newFile();
                body = spool.receive(http, file, max);
            } catch (UncheckedIOException | FileSystemException e) {
                LOG.warn("cannot spool an upload", e);
                throw new ProblemException(Problem.of("service-unavailable", "Service unavailable", 503,
                        "the coordinator cannot take uploads right now; try again"));
            }
            if ("100-continue".equalsIgnoreCase(http.getHeader("Expect"))) {
                http.response().writeContinue();
            }
            UploadAdmission.Slot held = slot;
            java.nio.file.Path spooled = file;
            CompletableFuture<Response> answer = new CompletableFuture<>();
            body.onComplete(received -> {
                if (received.failed()) {
                    held.close();
                    UploadSpool.delete(spooled);
                    answer.completeExceptionally(refused(received.cause(), max));
                    return;
                }
                try {
                    admission.imports().execute(() -> {
                        try {
                            answer.complete(importScene(account, name, extension, spooled, received.result(), scenes));
                        } catch (Throwable t) {
                            answer.completeExceptionally(t);
                        } finally {
                            UploadSpool.delete(spooled);
                            held.close();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    UploadSpool.delete(spooled);
                    held.close();
                    answer.completeExceptionally(new ProblemException(Problem.of("uploads-busy", "Too many uploads at once", 503,
                            "the coordinator is importing as many uploads as it takes; try again shortly")));
                }
            });
            return answer;
        } catch (RuntimeException e) {
            // refused before the body was read: drop what the client still sends, then close
            spool.discard(http);
            UploadSpool.delete(file);
            if (slot != null) {
                slot.close();
            }
            throw e;
        }
    }

    private Response importScene(String account, String name, String extension, java.nio.file.Path file, long length,
                                 URI scenes) {
        if (length == 0) {
            throw new ProblemException(Problem.of("invalid-scene", "Invalid scene", 422, "the upload is empty").withField("body"));
        }
        SceneIntake.Accepted accepted;
        try {
            accepted = intake.accept(name, extension, file);
        } catch (SceneLimitException e) {
            throw new ProblemException(overLimit(e));
        } catch (InvalidSceneException e) {
            throw new ProblemException(Problem.of("invalid-scene", "Invalid scene", 422, e.getMessage()).withField("body"));
        }
        SceneRecord scene = accepted.scene();
        ownership.claimScene(account, scene.digest());
        return accepted.created()
                ? Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, scenes.resolve(scene.digest())).entity(scene).build()
                : Response.ok(scene).build();
    }

    @GET
    @Path("/{digest}")
    @Operation(summary = "A scene's summary by digest")
    @APIResponse(responseCode = "200", description = "The scene",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SceneRecord.class)))
    public SceneRecord get(@PathParam("digest") String digest) {
        return intake.find(digest).filter(s -> ownership.ownsScene(caller.name(), digest)).orElseThrow(() -> ProblemException.notFound("unknown-scene", "no scene with digest " + digest));
    }

    /** A scene larger than the farm takes: 413, with the limit it passed in {@code detail}. */
    public static Problem overLimit(SceneLimitException e) {
        return Problem.of("scene-over-limit", "Scene over a limit", 413, e.getMessage()).withField("body");
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(Problem.of("upload-too-large", "Upload too large", 413,
                "scene uploads are limited to " + max + " bytes; send large scenes as a resumable upload (/api/v1/uploads)")
                .withField("body"));
    }

    private static RuntimeException busy(UploadAdmission.Refused e) {
        if (e.replicaFull()) {
            return new ProblemException(Problem.of("uploads-busy", "Too many uploads at once", 503, e.getMessage()));
        }
        return new AuthFailure.TooManyRequests(e.getMessage(), RETRY_AFTER);
    }

    private static Throwable refused(Throwable cause, long max) {
        if (!(cause instanceof UploadSpool.Refused r)) {
            return cause;
        }
        return switch (r.failure()) {
            case TOO_LARGE -> tooLarge(max);
            case TOO_SLOW -> new ProblemException(Problem.of("upload-too-slow", "Upload too slow", 408, r.getMessage()).withField("body"));
            case BROKEN -> new ProblemException(Problem.of("upload-incomplete", "Upload incomplete", 400, r.getMessage()).withField("body"));
        };
    }

    /** The Content-Length the client declared; -1 when it sent none (a chunked body) or one that is not a number. */
    static long declaredLength(HttpServerRequest http) {
        String value = http.getHeader("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The name without any directory part a browser or script may have sent. */
    static String baseName(String filename) {
        String n = filename.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }
}
