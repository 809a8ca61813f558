package farm.render.coordinator.events;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * In-process notification that a job changed (tile verified, frame done, job finished). Streams
 * also poll the database, so a change made by another coordinator replica still reaches them.
 */
@ApplicationScoped
public class JobEvents {
    /**
     * What changed; the stream sends the whole status either way. SUBMITTED: created with tiles to dispatch;
     * FRAME_REJECTED: its artist sent a frame back; CONTROLLED: paused, resumed or given another priority.
     */
    public enum Change { SUBMITTED, TILE_VERIFIED, TILE_FAILED, FRAME_DONE, FRAME_REJECTED, JOB_FINISHED, CONTROLLED }

    private final Map<String, Set<Consumer<Change>>> listeners = new ConcurrentHashMap<>();
    private final Set<BiConsumer<String, Change>> everyJob = new CopyOnWriteArraySet<>();

    public void changed(String jobId, Change change) {
        Set<Consumer<Change>> set = listeners.get(jobId);
        if (set != null) {
            set.forEach(l -> l.accept(change));
        }
        everyJob.forEach(l -> l.accept(jobId, change));
    }

    /**
     * Registers a listener to every job's changes; it runs on the thread that made the change (often the
     * verdict consumer's), so it must only hand work off. Run the returned handle to remove it.
     */
    public Runnable listenAll(BiConsumer<String, Change> listener) {
        everyJob.add(listener);
        return () -> everyJob.remove(listener);
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
