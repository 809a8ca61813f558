package farm.render.coordinator.planning;

import farm.render.core.planning.RenderSettings;
import farm.render.core.wire.Tier;

import java.util.List;

/**
 * A submitted job as stored: what to render, at which tier, for whom, and its state. {@code frames}
 * lists every frame it renders in ascending order; {@code frameStart}/{@code frameEnd} are its first and last.
 * {@code deviceMemoryBytes} is what one of its tasks needs on a worker's device (0: any worker).
 */
public record Job(String id, String account, String sceneDigest, int frameStart, int frameEnd,
                  RenderSettings settings, Tier tier, long quote, JobState state, String failure, List<Integer> frames,
                  long deviceMemoryBytes) {

    public Job {
        frames = List.copyOf(frames);
    }

    public int frameCount() {
        return frames.size();
    }

    public boolean renders(int frame) {
        return java.util.Collections.binarySearch(frames, frame) >= 0;
    }
}
