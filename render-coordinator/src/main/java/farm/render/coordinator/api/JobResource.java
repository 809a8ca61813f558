package farm.render.coordinator.api;

import farm.render.coordinator.events.JobStatusStream;
import farm.render.coordinator.ledger.TilePayment;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobQueries;
import farm.render.coordinator.planning.JobRequest;
import farm.render.coordinator.planning.JobStatus;
import farm.render.coordinator.planning.JobSubmission;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.planning.FrameRanges;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.net.URI;
import java.util.List;

/** Jobs: submit, status, payments, live events and assembled frames. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    static final String ARTIST_PREFIX = "artist:";

    private final JobSubmission submission;
    private final JobQueries queries;
    private final JobStatusStream stream;
    private final ObjectStorage storage;

    public JobResource(JobSubmission submission, JobQueries queries, JobStatusStream stream, ObjectStorage storage) {
        this.submission = submission;
        this.queries = queries;
        this.stream = stream;
        this.storage = storage;
    }

    /** One row per paid tile. */
    public record PaymentRow(int frame, int tile, int attempt, String workerId, long amount, long fee) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(@HeaderParam("X-Account") @DefaultValue("artist:local") String account, JobRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400, "a JSON job request is required"));
        }
        String artist = account.startsWith(ARTIST_PREFIX) ? account.substring(ARTIST_PREFIX.length()) : account;
        Job job = submission.submit(submission.plan(request, artist));
        return Response.created(URI.create("/api/v1/jobs/" + job.id())).entity(status(job.id())).build();
    }

    @GET
    @Path("/{id}")
    public JobStatus status(@PathParam("id") String id) {
        return queries.status(id).orElseThrow(() -> unknownJob(id));
    }

    @GET
    @Path("/{id}/payments")
    public List<PaymentRow> payments(@PathParam("id") String id) {
        queries.job(id).orElseThrow(() -> unknownJob(id));
        List<TilePayment> paid = queries.payments(id);
        return paid.stream().map(p -> new PaymentRow(p.frame(), p.tile(), p.attempt(), p.workerId(), p.amount(), p.fee())).toList();
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<JobStatus> events(@PathParam("id") String id) {
        queries.job(id).orElseThrow(() -> unknownJob(id));
        return stream.follow(id);
    }

    @GET
    @Path("/{id}/frames/{frame}.png")
    @Produces({"image/png", Problem.MEDIA_TYPE})
    public Response frame(@PathParam("id") String id, @PathParam("frame") int frame) {
        Job job = queries.job(id).orElseThrow(() -> unknownJob(id));
        if (!job.renders(frame)) {
            throw ProblemException.notFound("unknown-frame", "job " + id + " renders frames " + FrameRanges.format(job.frames()));
        }
        if (!queries.frameDone(id, frame)) {
            throw ProblemException.notFound("frame-not-ready", "frame " + frame + " of job " + id + " is not assembled yet");
        }
        return Response.ok(storage.get(ObjectKeys.framePng(id, frame)), "image/png").build();
    }

    private static ProblemException unknownJob(String id) {
        return ProblemException.notFound("unknown-job", "no job " + id);
    }
}
