package farm.render.coordinator.planning;

/**
 * A job as submitted over the API; absent fields take their defaults in {@link JobSubmission}.
 * Boxed so that "absent" and "zero" differ. {@code frames} ("1-100", "1-100x5", "3,7,9-12") is the
 * alternative to {@code frameStart}/{@code frameEnd}.
 */
public record JobRequest(String sceneDigest, Integer frameStart, Integer frameEnd, Integer width, Integer height,
                         Integer spp, Integer maxBounces, Integer tileSize, String tier, Long seed, String frames) {
}
