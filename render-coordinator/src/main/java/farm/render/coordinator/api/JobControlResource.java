package farm.render.coordinator.api;

import farm.render.coordinator.planning.JobQueries;
import farm.render.coordinator.planning.JobStatus;
import farm.render.coordinator.scheduling.JobControl;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Pause, resume and priority of a running job. */
@Path("/api/v1/jobs/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
public class JobControlResource {
    private final JobControl control;
    private final JobQueries queries;
    private final Owned owned;

    public JobControlResource(JobControl control, JobQueries queries, Owned owned) {
        this.control = control;
        this.queries = queries;
        this.owned = owned;
    }

    /** The job's new dispatch priority. */
    public record PriorityChange(@Schema(description = "0-100; higher is dispatched first among the account's queued jobs of the tier",
            required = true) Integer priority) {
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Pause a running job", description = "No more of its tiles are sent to workers; tiles already sent"
            + " (at most the dispatch window) finish and are paid. The escrow stays. The job shows as PAUSED until resumed.")
    @APIResponse(responseCode = "200", description = "The job, now PAUSED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobStatus.class)))
    @APIResponse(responseCode = "409", description = "The job has already finished",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobStatus pause(@PathParam("id") String id) {
        owned.job(id);
        return answer(id, control.pause(id), "paused");
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Resume a paused job", description = "Its remaining tiles are sent to workers again, by its priority.")
    @APIResponse(responseCode = "200", description = "The job, RUNNING again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobStatus.class)))
    @APIResponse(responseCode = "409", description = "The job has already finished",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobStatus resume(@PathParam("id") String id) {
        owned.job(id);
        return answer(id, control.resume(id), "resumed");
    }

    @PUT
    @Path("/priority")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a job's priority", description = "Among the account's queued jobs of a tier, the dispatcher"
            + " sends tiles of higher-priority jobs first (equal priorities: oldest first); between accounts the tier is shared by"
            + " weight whatever the priorities. Tiles already sent keep their place.")
    @APIResponse(responseCode = "200", description = "The job with its new priority",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobStatus.class)))
    @APIResponse(responseCode = "400", description = "The priority is missing or outside 0-100",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The job has already finished",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobStatus priority(@PathParam("id") String id, PriorityChange body) {
        owned.job(id);
        if (body == null || body.priority() == null) {
            throw new ProblemException(Problem.of("invalid-priority", "Invalid priority", 400,
                    "give the new priority as {\"priority\": N} with N from 0 to 100").withField("priority"));
        }
        JobControl.Outcome outcome;
        try {
            outcome = control.prioritize(id, body.priority());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of("invalid-priority", "Invalid priority", 400, e.getMessage()).withField("priority"));
        }
        return answer(id, outcome, "given another priority");
    }

    private JobStatus answer(String id, JobControl.Outcome outcome, String what) {
        if (outcome instanceof JobControl.UnknownJob) {
            throw ProblemException.notFound("unknown-job", "no job " + id);
        }
        if (outcome instanceof JobControl.AlreadyFinished finished) {
            throw new ProblemException(Problem.of("job-finished", "Job already finished", 409,
                    "job " + id + " is " + finished.state() + " and can no longer be " + what));
        }
        return queries.status(id).orElseThrow(() -> ProblemException.notFound("unknown-job", "no job " + id));
    }
}
