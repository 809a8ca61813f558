package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import org.lwjgl.assimp.AIScene;

/**
 * Counts of the uploaded file for its summary that the compiled scene does not keep: meshes as the file
 * declares them (a glTF document's {@code meshes}, else Assimp's meshes) and cameras (the document's
 * {@code cameras}, else Assimp's); the scene renders through one of those cameras.
 */
public record SourceCounts(int meshes, int cameras) {
    public static final SourceCounts NONE = new SourceCounts(0, 0);

    static SourceCounts of(AIScene ai, JsonNode gltf) {
        if (gltf != null) {
            return new SourceCounts(gltf.path("meshes").size(), gltf.path("cameras").size());
        }
        return new SourceCounts(ai.mNumMeshes(), ai.mNumCameras());
    }
}
