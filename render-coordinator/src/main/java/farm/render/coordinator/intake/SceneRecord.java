package farm.render.coordinator.intake;

import farm.render.core.scene.Scene;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * What the farm knows about an uploaded scene, keyed by the SHA-256 of the source bytes.
 *
 * @param lights            punctual lights (point, spot, directional)
 * @param emissiveTriangles triangles whose material emits light (area lights)
 * @param animationFrames   frames the scene's animation spans; 0 for a still scene
 */
public record SceneRecord(String digest, String filename, int triangles, int materials, List<String> unsupported,
                          String packageDigest,
                          @Schema(description = "Decoded textures the materials use") int textures,
                          @Schema(description = "Punctual lights: point, spot and directional") int lights,
                          @Schema(description = "Triangles whose material emits light (area lights)") long emissiveTriangles,
                          @Schema(description = "Frames the scene's animation spans; 0 for a still scene") int animationFrames) {
    public SceneRecord {
        unsupported = List.copyOf(unsupported);
    }

    /** The summary of a compiled scene. */
    public static SceneRecord of(String digest, String filename, Scene scene, String packageDigest) {
        return new SceneRecord(digest, filename, scene.triangleCount(), scene.materials().size(), scene.unsupported(),
                packageDigest, scene.textures().size(), scene.lights().size(), scene.emissiveTriangleCount(),
                scene.animation().frameCount());
    }
}
