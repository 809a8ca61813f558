package farm.render.coordinator.api;

import farm.render.coordinator.planning.JobCancellation;
import farm.render.coordinator.planning.JobQueries;
import farm.render.coordinator.planning.JobStatus;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code POST /api/v1/jobs/{id}/cancel}: stops a running job and refunds the escrow its verified tiles have not used. */
@Path("/api/v1/jobs/{id}/cancel")
@Produces(MediaType.APPLICATION_JSON)
public class JobCancelResource {
    private final JobCancellation cancellation;
    private final JobQueries queries;
    private final Owned owned;

    public JobCancelResource(JobCancellation cancellation, JobQueries queries, Owned owned) {
        this.owned = owned;
        this.cancellation = cancellation;
        this.queries = queries;
    }

    @POST
    @Operation(summary = "Cancel a running job and refund its unused escrow")
    public JobStatus cancel(@PathParam("id") String id) {
        owned.job(id);
        JobCancellation.Outcome outcome = cancellation.cancel(id);
        if (outcome instanceof JobCancellation.UnknownJob) {
            throw ProblemException.notFound("unknown-job", "no job " + id);
        }
        if (outcome instanceof JobCancellation.AlreadyFinished finished) {
            throw new ProblemException(Problem.of("job-finished", "Job already finished", 409,
                    "job " + id + " is " + finished.state() + " and can no longer be cancelled"));
        }
        return queries.status(id).orElseThrow(() -> ProblemException.notFound("unknown-job", "no job " + id));
    }
}
