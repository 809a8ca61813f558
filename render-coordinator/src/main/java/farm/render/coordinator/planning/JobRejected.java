package farm.render.coordinator.planning;

import java.util.List;

/** A job request that cannot become a job; {@code reasons} are in words for the submitter. */
public class JobRejected extends RuntimeException {
    public enum Why { INVALID, UNKNOWN_SCENE }

    private final Why why;
    private final List<String> reasons;

    public JobRejected(Why why, List<String> reasons) {
        super(String.join("; ", reasons));
        this.why = why;
        this.reasons = List.copyOf(reasons);
    }

    public Why why() {
        return why;
    }

    public List<String> reasons() {
        return reasons;
    }
}
