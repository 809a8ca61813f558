package farm.render.coordinator.intake;

import farm.render.core.scene.ImportSummary;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * What the farm knows about an uploaded scene, keyed by the SHA-256 of the source bytes.
 *
 * @param animation         the frames the scene's animation spans; {@code frames} is 0 for a still scene
 * @param textures          decoded textures the materials use
 * @param lights            punctual lights (point, spot, directional)
 * @param emissiveTriangles triangles whose material emits light (area lights)
 * @param meshes            meshes the file declares
 * @param cameras           cameras the file declares
 * @param instances         placements of meshes stored once
 * @param instancedTriangles triangles those placements show
 * @param packageBytes      the compiled package's size: with the triangles, what a job's device memory need is worked out from
 */
public record SceneRecord(String digest, String filename, int triangles, int materials, List<String> unsupported,
                          String packageDigest, Animation animation,
                          @Schema(description = "Decoded textures the materials use") int textures,
                          @Schema(description = "Punctual lights: point, spot and directional") int lights,
                          @Schema(description = "Triangles whose material emits light (area lights)") long emissiveTriangles,
                          @Schema(description = "Meshes the file declares") int meshes,
                          @Schema(description = "Cameras the file declares; frames render through the first") int cameras,
                          @Schema(description = "Placements of meshes the package stores once (nodes that share a mesh)") int instances,
                          @Schema(description = "Triangles the instances show, each counting its mesh's; the package stores"
                                  + " each mesh once, so copies cost no memory") long instancedTriangles,
                          @Schema(description = "Bytes of the compiled scene package workers download; 0 for scenes uploaded"
                                  + " before it was recorded") long packageBytes) {
    public SceneRecord {
        unsupported = List.copyOf(unsupported);
    }

    /** The summary of a compiled scene, as its import child described it. */
    public static SceneRecord of(String digest, String filename, ImportSummary s, String packageDigest, long packageBytes) {
        return new SceneRecord(digest, filename, s.triangles(), s.materials(), s.unsupported(), packageDigest,
                new Animation(s.frames(), s.firstFrame(), s.lastFrame(), s.frameRate()), s.textures(), s.lights(),
                s.emissiveTriangles(), s.meshes(), s.cameras(), s.instances(), s.instancedTriangles(),
                packageBytes);
    }

    /**
     * Farm frames firstFrame..lastFrame show the animation from its first key to its last at frameRate
     * frames per second; frames outside hold the first or last pose.
     */
    public record Animation(int frames, int firstFrame, int lastFrame, float frameRate) {
    }
}
