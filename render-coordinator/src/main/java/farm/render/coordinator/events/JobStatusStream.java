package farm.render.coordinator.events;

import farm.render.coordinator.planning.JobQueries;
import farm.render.coordinator.planning.JobStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A job's status as a stream: once at subscribe time, then whenever it changes, until the job has
 * finished. Changes are noticed at once on this replica and by polling within {@link #POLL} otherwise.
 */
@ApplicationScoped
public class JobStatusStream {
    static final Duration POLL = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(JobStatusStream.class);

    private final JobQueries queries;
    private final JobEvents events;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "job-status-stream");
        t.setDaemon(true);
        return t;
    });

    public JobStatusStream(JobQueries queries, JobEvents events) {
        this.queries = queries;
        this.events = events;
    }

    public Multi<JobStatus> follow(String jobId) {
        return Multi.createFrom().emitter(emitter -> {
            AtomicReference<JobStatus> last = new AtomicReference<>();
            Runnable check = () -> timer.execute(() -> emitIfChanged(jobId, emitter, last));
            Runnable unlisten = events.listen(jobId, change -> check.run());
            ScheduledFuture<?> poll = timer.scheduleWithFixedDelay(check, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
            emitter.onTermination(() -> {
                unlisten.run();
                poll.cancel(false);
            });
        });
    }

    private synchronized void emitIfChanged(String jobId, MultiEmitter<? super JobStatus> emitter, AtomicReference<JobStatus> last) {
        if (emitter.isCancelled()) {
            return;
        }
        try {
            JobStatus now = queries.status(jobId).orElse(null);
            if (now == null) {
                emitter.complete();
                return;
            }
            if (!Objects.equals(now, last.get())) {
                last.set(now);
                emitter.emit(now);
            }
            if (now.state().finished()) {
                emitter.complete();
            }
        } catch (RuntimeException e) {
            LOG.warnf("status stream for job %s: %s", jobId, e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
