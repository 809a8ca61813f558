package farm.render.coordinator.events;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * In-process notification that a job changed (tile verified, frame done, job finished). Streams
 * also poll the database, so a change made by another coordinator replica still reaches them.
 */
@ApplicationScoped
public class JobEvents {
    /** What changed; the stream sends the whole status either way. */
    public enum Change { TILE_VERIFIED, TILE_FAILED, FRAME_DONE, FRAME_REJECTED, JOB_FINISHED }

    private final Map<String, Set<Consumer<Change>>> listeners = new ConcurrentHashMap<>();

    public void changed(String jobId, Change change) {
        Set<Consumer<Change>> set = listeners.get(jobId);
        if (set != null) {
            set.forEach(l -> l.accept(change));
        }
    }

    /** Registers a listener; run the returned handle to remove it. */
    public Runnable listen(String jobId, Consumer<Change> listener) {
        listeners.computeIfAbsent(jobId, k -> new CopyOnWriteArraySet<>()).add(listener);
        return () -> listeners.computeIfPresent(jobId, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }
}
