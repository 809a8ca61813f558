package farm.render.coordinator.planning;

/**
 * A job as submitted over the API; absent fields take their defaults in {@link JobSubmission}.
 * Boxed so that "absent" and "zero" differ.
 */
public record JobRequest(String sceneDigest, Integer frameStart, Integer frameEnd, Integer width, Integer height,
                         Integer spp, Integer maxBounces, Integer tileSize, String tier, Long seed) {
}
