package farm.render.coordinator.planning;

import farm.render.core.planning.RenderSettings;
import farm.render.core.wire.Tier;

/** A submitted job as stored: what to render, at which tier, for whom, and its state. */
public record Job(String id, String account, String sceneDigest, int frameStart, int frameEnd,
                  RenderSettings settings, Tier tier, long quote, JobState state, String failure) {

    public int frameCount() {
        return frameEnd - frameStart + 1;
    }
}
