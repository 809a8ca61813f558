package farm.render.coordinator.planning;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A job as submitted over the API; absent fields take their defaults in {@link JobSubmission}.
 * Boxed so that "absent" and "zero" differ. {@code frames} ("1-100", "1-100x5", "3,7,9-12") is the
 * alternative to {@code frameStart}/{@code frameEnd}.
 */
public record JobRequest(String sceneDigest, Integer frameStart, Integer frameEnd, Integer width, Integer height,
                         Integer spp, Integer maxBounces, Integer tileSize, String tier, Long seed, String frames,
                         @Schema(description = "0-100, default 50: among your queued jobs of a tier, higher priority is dispatched first")
                         Integer priority,
                         @Schema(description = "http(s) URL that receives a signed POST when the job ends; needs the account's"
                                 + " webhook secret (POST /api/v1/webhook-secret)")
                         String webhookUrl,
                         @Schema(description = "largest radiance one indirect light sample may add per channel (fewer fireflies,"
                                 + " a little less light); 0 or absent: no clamp")
                         Float clampIndirect) {

    /** The request without the job-control fields, as the tests and older clients build it. */
    public JobRequest(String sceneDigest, Integer frameStart, Integer frameEnd, Integer width, Integer height,
                      Integer spp, Integer maxBounces, Integer tileSize, String tier, Long seed, String frames) {
        this(sceneDigest, frameStart, frameEnd, width, height, spp, maxBounces, tileSize, tier, seed, frames, null, null, null);
    }
}
