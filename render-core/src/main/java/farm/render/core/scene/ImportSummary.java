package farm.render.core.scene;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * What the farm tells about a compiled scene, worked out by the import child next to the package so the
 * caller never decodes a whole package to describe it.
 *
 * @param triangles          triangles the package stores: the flat ones and each instanced mesh's once
 * @param frames             frames the animation spans; 0 for a still scene
 * @param meshes             meshes the file declares
 * @param cameras            cameras the file declares
 * @param instances          placements of meshes stored once (nodes that share a mesh)
 * @param instancedTriangles triangles those placements show, each instance counting its mesh's
 */
public record ImportSummary(int triangles, int materials, List<String> unsupported, int frames, int firstFrame,
                            int lastFrame, float frameRate, int textures, int lights, long emissiveTriangles,
                            int meshes, int cameras, int instances, long instancedTriangles) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ImportSummary {
        unsupported = List.copyOf(unsupported);
    }

    public static ImportSummary of(Scene scene, SourceCounts counts) {
        Animation a = scene.animation();
        return new ImportSummary(scene.triangleCount(), scene.materials().size(), scene.unsupported(), a.frameCount(),
                a.firstFrame(), a.lastFrame(), a.frameRate(), scene.textures().size(), scene.lights().size(),
                scene.emissiveTriangleCount(), counts.meshes(), counts.cameras(), scene.instances().count(),
                scene.instances().placedTriangles());
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a summary always serializes", e);
        }
    }

    static ImportSummary fromJson(byte[] json) throws InvalidSceneException {
        try {
            return JSON.readValue(json, ImportSummary.class);
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidSceneException("the importer's summary could not be read");
        }
    }
}
