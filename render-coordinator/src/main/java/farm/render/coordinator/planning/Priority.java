package farm.render.coordinator.planning;

import java.util.Optional;

/**
 * A job's dispatch priority: among one account's queued jobs of a tier, higher is dispatched first; equal priorities go
 * oldest first. Between accounts the tier is shared by weight, whatever their priorities.
 */
public final class Priority {
    public static final int MIN = 0;
    public static final int MAX = 100;
    public static final int DEFAULT = 50;

    private Priority() {
    }

    /** Why the value cannot be a priority, or empty when it can. */
    public static Optional<String> problem(int priority) {
        return priority < MIN || priority > MAX
                ? Optional.of("priority must be between " + MIN + " and " + MAX + ", not " + priority) : Optional.empty();
    }
}
