package farm.render.coordinator.planning;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.events.JobEvents;
import farm.render.coordinator.ledger.EscrowRefunds;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Cancels a running job: it becomes CANCELLED and the escrow its verified tiles have not used goes
 * back to the artist, in one transaction. Verdicts that arrive later find the job finished and change
 * nothing; tasks already on the bus are rendered but never paid.
 */
@ApplicationScoped
public class JobCancellation {
    /** What a cancel did. */
    public sealed interface Outcome {
    }

    public record Cancelled(long refunded) implements Outcome {
    }

    public record AlreadyFinished(JobState state) implements Outcome {
    }

    public record UnknownJob() implements Outcome {
    }

    private final Transactions tx;
    private final EscrowRefunds refunds;
    private final JobEvents events;

    public JobCancellation(Transactions tx, EscrowRefunds refunds, JobEvents events) {
        this.tx = tx;
        this.refunds = refunds;
        this.events = events;
    }

    public Outcome cancel(String jobId) {
        Outcome outcome = tx.inTransaction(c -> {
            Optional<Job> job = JobStore.find(c, jobId, true);
            if (job.isEmpty()) {
                return new UnknownJob();
            }
            if (!JobStore.finish(c, jobId, JobState.CANCELLED, "cancelled by its artist")) {
                return new AlreadyFinished(job.get().state());
            }
            return new Cancelled(refunds.refundEscrow(c, jobId, job.get().account()));
        });
        if (outcome instanceof Cancelled) {
            events.changed(jobId, JobEvents.Change.JOB_FINISHED);
        }
        return outcome;
    }
}
