package farm.render.coordinator.webhooks;

import farm.render.coordinator.planning.JobStatus;

import java.util.Locale;

/**
 * What a webhook delivery's body holds: which job ended and how. {@code type} is {@code job.completed},
 * {@code job.failed} or {@code job.cancelled}; amounts are micro-tokens; {@code url} is the job's API path.
 */
public record WebhookEvent(String type, String jobId, String state, String failure, int framesDone, int frameCount,
                           long quote, long paid, long fees, long refunded, String url) {

    static WebhookEvent of(JobStatus job) {
        String state = job.state().name();
        return new WebhookEvent("job." + state.toLowerCase(Locale.ROOT), job.id(), state, job.failure(), job.framesDone(),
                job.frameCount(), job.quote(), job.ledger().paid(), job.ledger().fees(), job.ledger().refunded(),
                "/api/v1/jobs/" + job.id());
    }
}
