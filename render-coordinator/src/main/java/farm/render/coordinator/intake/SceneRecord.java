package farm.render.coordinator.intake;

import java.util.List;

/** What the farm knows about an uploaded scene, keyed by the SHA-256 of the source bytes. */
public record SceneRecord(String digest, String filename, int triangles, int materials, List<String> unsupported,
                          String packageDigest) {
    public SceneRecord {
        unsupported = List.copyOf(unsupported);
    }
}
