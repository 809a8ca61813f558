package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.Ownership;
import farm.render.coordinator.accounts.RateLimited;
import farm.render.coordinator.accounts.RateLimits;
import farm.render.coordinator.intake.SceneRecord;
import farm.render.coordinator.uploads.MultipartStorage.StoredPart;
import farm.render.coordinator.uploads.UploadRefused;
import farm.render.coordinator.uploads.Uploads;
import farm.render.coordinator.uploads.Uploads.PartTarget;
import farm.render.coordinator.uploads.Uploads.Progress;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/** Resumable uploads: parts go straight to object storage on presigned URLs; completing one runs the scene intake. */
@Path("/api/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "uploads", description = "Send large scenes in parts straight to object storage and resume after a dropped connection")
public class UploadResource {
    private final Uploads uploads;
    private final Caller caller;
    private final Ownership ownership;

    public UploadResource(Uploads uploads, Caller caller, Ownership ownership) {
        this.uploads = uploads;
        this.caller = caller;
        this.ownership = ownership;
    }

    /** What a client declares before sending: the file's name and size, and its SHA-256 or any fingerprint of its own. */
    @Schema(name = "UploadRequest")
    public record UploadRequest(
            @Schema(description = "The file's name, e.g. cornell-box.glb; its extension says its format", required = true) String filename,
            @Schema(description = "The file's length in bytes", required = true) long size,
            @Schema(description = "The file's SHA-256 in hex; when given, completion checks the stored bytes against it") String sha256,
            @Schema(description = "Any string naming this file on the client (e.g. name, size and modification time);"
                    + " starting again with the same fingerprint resumes the open upload") String fingerprint) {
    }

    @Schema(name = "UploadPart", description = "A part already stored")
    public record PartView(int number, long size) {
    }

    @Schema(name = "UploadPartTarget", description = "A part still to send: PUT exactly size bytes of the file, from"
            + " offset (number - 1) × partSize, to url")
    public record PartTargetView(int number, long size, String url) {
    }

    @Schema(name = "Upload")
    public record UploadView(String id, String filename, long size, long partSize, int partCount,
                             @Schema(enumeration = {"OPEN", "COMPLETING", "COMPLETED", "REJECTED"}) String state,
                             @Schema(description = "The scene, once completed") String sceneDigest,
                             @Schema(description = "Why the upload was refused") String reason,
                             List<PartView> storedParts, List<PartTargetView> missingParts) {
        static UploadView of(Progress p) {
            var u = p.session();
            return new UploadView(u.id(), u.filename(), u.size(), u.partSize(), u.partCount(), u.state().name(),
                    u.sceneDigest().orElse(null), u.reason().orElse(null),
                    p.stored().stream().map((StoredPart s) -> new PartView(s.number(), s.size())).toList(),
                    p.missing().stream().map((PartTarget t) -> new PartTargetView(t.number(), t.size(), t.url())).toList());
        }
    }

    @POST
    @RateLimited(RateLimits.Action.UPLOAD)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start or resume an upload", description = "Answers with the part size and a presigned PUT URL for"
            + " each part still to send. The size is checked against the upload limit before anything is presigned."
            + " With a fingerprint (or sha256) naming an open upload of this account, that upload is resumed (200).")
    @APIResponse(responseCode = "201", description = "A new upload", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UploadView.class)))
    @APIResponse(responseCode = "200", description = "The open upload with this fingerprint, resumed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UploadView.class)))
    @APIResponse(responseCode = "400", description = "A declared field is missing or malformed", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The fingerprint names an open upload of another file", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The file is larger than the coordinator accepts", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not a format the farm imports", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(UploadRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "a JSON body with filename and size is required"));
        }
        Progress p = refusing(() -> uploads.start(caller.name(), new Uploads.Declared(request.filename(), request.size(),
                java.util.Optional.ofNullable(request.sha256()), java.util.Optional.ofNullable(request.fingerprint()))));
        UploadView view = UploadView.of(p);
        return p.resumed() ? Response.ok(view).build()
                : Response.created(URI.create("/api/v1/uploads/" + view.id())).entity(view).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An upload's progress", description = "The parts already stored and fresh presigned URLs for the"
            + " rest: what a client needs to resume after a reload or a dropped connection.")
    @APIResponse(responseCode = "200", description = "The upload", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UploadView.class)))
    @APIResponse(responseCode = "404", description = "No such upload for this account", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public UploadView get(@PathParam("id") String id) {
        return UploadView.of(refusing(() -> uploads.progress(caller.name(), id)));
    }

    @POST
    @Path("/{id}/complete")
    @Operation(summary = "Complete an upload", description = "Joins the stored parts, checks them against the declared size"
            + " and SHA-256, then validates and compiles the scene: the answer is the same scene summary as a direct upload.")
    @APIResponse(responseCode = "201", description = "A new scene, imported and compiled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SceneRecord.class)))
    @APIResponse(responseCode = "200", description = "The same bytes were uploaded before, or the upload was completed before",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SceneRecord.class)))
    @APIResponse(responseCode = "404", description = "No such upload for this account", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Parts are missing, or another request is completing the upload",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "A stored part is larger or smaller than the declared size gives it (upload-part-size),"
            + " or the scene passes a limit of the farm's: its triangles, its compiled package's bytes or the memory its import"
            + " needs (scene-over-limit); detail names the limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The stored file does not match its SHA-256 or is not a valid scene;"
            + " detail says why", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response complete(@PathParam("id") String id) {
        Uploads.Completed done = refusing(() -> uploads.complete(caller.name(), id));
        SceneRecord scene = done.scene();
        ownership.claimScene(caller.name(), scene.digest());
        return done.created()
                ? Response.created(URI.create("/api/v1/scenes/" + scene.digest())).entity(scene).build()
                : Response.ok(scene).build();
    }

    private static <T> T refusing(Supplier<T> call) {
        try {
            return call.get();
        } catch (UploadRefused e) {
            throw new ProblemException(problem(e));
        }
    }

    static Problem problem(UploadRefused e) {
        Problem p = switch (e.reason()) {
            case UNKNOWN -> Problem.of("unknown-upload", "Not found", 404, e.getMessage());
            case INVALID_REQUEST -> Problem.of("invalid-upload", "Invalid upload request", 400, e.getMessage());
            case UNSUPPORTED_FORMAT -> Problem.of("unsupported-scene-format", "Unsupported scene format", 415, e.getMessage());
            case TOO_LARGE -> Problem.of("upload-too-large", "Upload too large", 413, e.getMessage());
            case FINGERPRINT_CONFLICT -> Problem.of("upload-fingerprint-conflict", "Fingerprint names another file", 409, e.getMessage());
            case PARTS_MISSING -> Problem.of("upload-incomplete", "Upload incomplete", 409, e.getMessage());
            case PART_SIZE_MISMATCH -> Problem.of("upload-part-size", "Part size does not match the declaration", 413, e.getMessage());
            case DIGEST_MISMATCH -> Problem.of("upload-digest-mismatch", "Upload does not match its declaration", 422, e.getMessage());
            case INVALID_SCENE -> Problem.of("invalid-scene", "Invalid scene", 422, e.getMessage());
            case SCENE_OVER_LIMIT -> Problem.of("scene-over-limit", "Scene over a limit", 413, e.getMessage());
            case COMPLETING -> Problem.of("upload-completing", "Upload being completed", 409, e.getMessage());
            case REJECTED -> Problem.of("upload-refused", "Upload refused", 422, e.getMessage());
        };
        return e.field() == null ? p : p.withField(e.field());
    }
}
