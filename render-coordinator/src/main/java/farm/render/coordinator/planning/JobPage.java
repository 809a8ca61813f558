package farm.render.coordinator.planning;

import java.time.Instant;
import java.util.List;

/** One page of an account's jobs, newest first; {@code nextCursor} fetches the next page and is null on the last. */
public record JobPage(List<JobSummary> jobs, String nextCursor) {

    /**
     * A job in a list: {@code progress} is the share of tiles verified (0 to 1); {@code cost} is what the job
     * has spent so far (paid to workers plus fees), {@code quote} what it escrowed; amounts in micro-tokens.
     * {@code priority} orders dispatch among the account's queued jobs of a tier (0-100, higher first).
     */
    public record JobSummary(String id, JobState state, String sceneDigest, String tier, String frameList, int frameCount,
                             int framesDone, int width, int height, int spp, int tilesTotal, int tilesVerified,
                             double progress, long quote, long cost, Instant createdAt, String url, int priority) {
    }
}
