package farm.render.coordinator.scheduling;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.events.JobEvents;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobState;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.planning.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Pause, resume and priority of a running job. Pausing stops the dispatcher from publishing the job's
 * tiles; tiles already out finish and are paid, and the escrow stays. Resuming lets the dispatcher go on.
 * Each change takes the dispatch lock, so once it returns no pass publishes by the old setting.
 */
@ApplicationScoped
public class JobControl {
    /** What a control request did. */
    public sealed interface Outcome {
    }

    /** Done (or already so); the job as it now stands is for the caller to read. */
    public record Changed() implements Outcome {
    }

    public record AlreadyFinished(JobState state) implements Outcome {
    }

    public record UnknownJob() implements Outcome {
    }

    private final Transactions tx;
    private final JobEvents events;

    public JobControl(Transactions tx, JobEvents events) {
        this.tx = tx;
        this.events = events;
    }

    public Outcome pause(String jobId) {
        return change(jobId, c -> DispatchStore.setPaused(c, jobId, true));
    }

    public Outcome resume(String jobId) {
        return change(jobId, c -> DispatchStore.setPaused(c, jobId, false));
    }

    /** @throws IllegalArgumentException when the priority is outside {@link Priority#MIN}-{@link Priority#MAX} */
    public Outcome prioritize(String jobId, int priority) {
        Priority.problem(priority).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return change(jobId, c -> DispatchStore.setPriority(c, jobId, priority));
    }

    private interface Update {
        void apply(java.sql.Connection c) throws java.sql.SQLException;
    }

    private Outcome change(String jobId, Update update) {
        Outcome outcome = tx.inTransaction(c -> {
            DispatchStore.lock(c);
            Optional<Job> job = JobStore.find(c, jobId, true);
            if (job.isEmpty()) {
                return new UnknownJob();
            }
            if (job.get().state().finished()) {
                return new AlreadyFinished(job.get().state());
            }
            update.apply(c);
            return new Changed();
        });
        if (outcome instanceof Changed) {
            events.changed(jobId, JobEvents.Change.CONTROLLED);
        }
        return outcome;
    }
}
