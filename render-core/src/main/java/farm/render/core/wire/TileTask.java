package farm.render.core.wire;

import farm.render.core.planning.TileRect;

/**
 * One frame × tile of a job, as published on {@code render.tasks.<tier>}. It names everything a
 * worker needs and nothing it could use beyond this tile: the scene by digest and presigned GET, the
 * tile's presigned PUT, and the seeds that make every pixel reproducible.
 */
public record TileTask(
        String taskId,
        String jobId,
        int frame,
        int tile,
        int attempt,
        TileRect rect,
        int imageWidth,
        int imageHeight,
        int spp,
        int maxBounces,
        long seed,
        String sceneDigest,
        String rendererVersion,
        String sceneUrl,
        String tileUploadUrl,
        String tileDownloadUrl,
        Tier tier) {

    public static String taskId(String jobId, int frame, int tile, int attempt) {
        return jobId + "/" + frame + "/" + tile + "/" + attempt;
    }
}
