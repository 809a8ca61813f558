package farm.render.core.wire;

import farm.render.core.planning.TileRect;

/**
 * One tile attempt as published on {@code render.tasks.<tier>}: what it is and where it lies, and nothing a
 * reader of the topic could use. A worker that acquires it claims it from the coordinator, which answers
 * with the {@link TileTask} (seeds, settings, URLs bound to that worker) or refuses.
 *
 * @param sceneDigest     the compiled scene's digest: a worker may warm its cache before claiming
 * @param rendererVersion the renderer the task needs: a worker of another version leaves the ticket to others
 */
public record TileTicket(String taskId, String jobId, int frame, int tile, int attempt, Tier tier, TileRect rect,
                         String sceneDigest, String rendererVersion) {

    public static TileTicket of(String jobId, int frame, int tile, int attempt, Tier tier, TileRect rect, String sceneDigest) {
        return new TileTicket(TileTask.taskId(jobId, frame, tile, attempt), jobId, frame, tile, attempt, tier, rect,
                sceneDigest, RendererVersion.CURRENT);
    }

    /** What a claim names: the attempt, nothing else a worker could vary. */
    public ClaimRequest.Ticket ref() {
        return new ClaimRequest.Ticket(jobId, frame, tile, attempt);
    }
}
