package farm.render.core.wire;

/** Kafka topic and group names, in one place for every module. */
public final class Topics {
    public static final String TASKS_PREFIX = "render.tasks.";
    public static final String RESULTS = "render.results";
    public static final String VERDICTS = "render.verdicts";
    public static final String WORKER_SHARE_GROUP = "render-workers";
    public static final String VERIFIER_GROUP = "frame-verifiers";
    public static final String COORDINATOR_GROUP = "render-coordinator";

    private Topics() {
    }
}
