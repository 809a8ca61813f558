package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.RateLimited;
import farm.render.coordinator.accounts.RateLimits;
import farm.render.coordinator.events.JobStatusStream;
import farm.render.coordinator.ledger.TilePayment;
import farm.render.coordinator.planning.IdempotencyKeys;
import farm.render.coordinator.planning.JobPage;
import farm.render.coordinator.planning.JobQueries;
import farm.render.coordinator.planning.JobRequest;
import farm.render.coordinator.planning.JobStatus;
import farm.render.coordinator.planning.JobSubmission;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.net.URI;
import java.util.List;

/** Jobs: submit, list, status, payments, live events and assembled frames. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "Submit render jobs, follow them and download their frames")
public class JobResource {
    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;

    private final JobSubmission submission;
    private final JobQueries queries;
    private final JobStatusStream stream;
    private final Caller caller;
    private final Owned owned;

    public JobResource(JobSubmission submission, JobQueries queries, JobStatusStream stream, Caller caller, Owned owned) {
        this.caller = caller;
        this.owned = owned;
        this.submission = submission;
        this.queries = queries;
        this.stream = stream;
    }

    /** One row per paid tile. */
    public record PaymentRow(int frame, int tile, int generation, int attempt, String workerId, long amount, long fee) {
    }

    @POST
    @RateLimited(RateLimits.Action.JOB)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Validates the request, escrows its quote and publishes one task per tile."
            + " With an Idempotency-Key, repeating the same request returns the job the key created (200) instead of a new one.")
    @APIResponse(responseCode = "201", description = "The job was created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobStatus.class)))
    @APIResponse(responseCode = "200", description = "A replay: the job this Idempotency-Key created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobStatus.class)))
    @APIResponse(responseCode = "402", description = "The account cannot cover the quote", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many jobs submitted at once; Retry-After says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used before with a different request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(@Parameter(description = "Any unique string (a UUID) naming this submission; retries reuse it")
                           @HeaderParam("Idempotency-Key") String idempotencyKey,
                           JobRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400, "a JSON job request is required"));
        }
        if (idempotencyKey != null && !IdempotencyKeys.valid(idempotencyKey)) {
            throw new ProblemException(Problem.of("invalid-idempotency-key", "Invalid Idempotency-Key", 400,
                    "an Idempotency-Key is 1-255 visible ASCII characters, e.g. a UUID").withField("Idempotency-Key"));
        }
        owned.scene(request.sceneDigest());
        JobSubmission.Submitted submitted = submission.submit(request, caller.name(), idempotencyKey);
        String id = submitted.job().id();
        return (submitted.replayed() ? Response.ok() : Response.created(URI.create("/api/v1/jobs/" + id))).entity(status(id)).build();
    }

    @GET
    @Operation(summary = "List the account's jobs", description = "Newest first, a page at a time: pass nextCursor as cursor for the next page.")
    @APIResponse(responseCode = "200", description = "One page of jobs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobPage.class)))
    public JobPage list(@Parameter(description = "Jobs per page, 1-" + MAX_PAGE) @QueryParam("limit") Integer limit,
                        @Parameter(description = "The nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw new ProblemException(Problem.of("invalid-page", "Invalid page request", 400,
                    "limit must be between 1 and " + MAX_PAGE).withField("limit"));
        }
        try {
            return queries.list(caller.ledgerAccount(), size, cursor);
        } catch (JobQueries.InvalidCursor e) {
            throw new ProblemException(Problem.of("invalid-page", "Invalid page request", 400, e.getMessage()).withField("cursor"));
        }
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A job's status", description = "State, frames (each with its tile states while the job is small enough),"
            + " tile counts and the job's ledger totals.")
    @APIResponse(responseCode = "200", description = "The job's status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobStatus.class)))
    public JobStatus status(@PathParam("id") String id) {
        owned.job(id);
        return queries.status(id).orElseThrow(() -> unknownJob(id));
    }

    @GET
    @Path("/{id}/payments")
    @Operation(summary = "What each verified tile paid its worker")
    @APIResponse(responseCode = "200", description = "One row per paid tile", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = PaymentRow.class)))
    public List<PaymentRow> payments(@PathParam("id") String id) {
        owned.job(id);
        List<TilePayment> paid = queries.payments(id);
        return paid.stream().map(p -> new PaymentRow(p.frame(), p.tile(), p.generation(), p.attempt(), p.workerId(), p.amount(), p.fee())).toList();
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Follow a job as server-sent events", description = "Each event's data is the job's whole status, sent"
            + " at once and whenever it changes; the stream ends when the job has finished.")
    @APIResponse(responseCode = "200", description = "A text/event-stream of job statuses",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = JobStatus.class)))
    public Multi<JobStatus> events(@PathParam("id") String id) {
        owned.job(id);
        return stream.follow(id);
    }

    private static ProblemException unknownJob(String id) {
        return ProblemException.notFound("unknown-job", "no job " + id);
    }
}
