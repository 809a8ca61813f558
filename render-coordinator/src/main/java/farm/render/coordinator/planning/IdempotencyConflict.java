package farm.render.coordinator.planning;

/** An Idempotency-Key reused with a request other than the one that first used it. */
public class IdempotencyConflict extends RuntimeException {
    private final String jobId;

    public IdempotencyConflict(String key, String jobId) {
        super("Idempotency-Key '" + key + "' already created job " + jobId + " from a different request;"
                + " use a new key for a new job");
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
