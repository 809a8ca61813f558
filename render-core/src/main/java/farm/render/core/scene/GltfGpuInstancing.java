package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.joml.Matrix4f;

/**
 * {@code EXT_mesh_gpu_instancing}: a node whose mesh is drawn once per row of its TRANSLATION, ROTATION and SCALE
 * attributes, each placement being the node's transform times that row's. Assimp reads the node's mesh once and
 * drops the extension, so the attributes are read from the document here.
 */
final class GltfGpuInstancing {
    static final String EXTENSION = "EXT_mesh_gpu_instancing";

    private GltfGpuInstancing() {
    }

    /**
     * Per glTF node with the extension, its placements relative to the node (T · R · S per row). A node whose
     * attributes cannot be read is named in {@code unsupported} and left to draw its mesh once.
     */
    static Map<Integer, Matrix4f[]> read(JsonNode doc, byte[] glbBinary, List<String> unsupported) {
        Map<Integer, Matrix4f[]> out = new HashMap<>();
        JsonNode nodes = doc.path("nodes");
        GltfAccessors accessors = new GltfAccessors(doc, glbBinary);
        int total = 0;
        for (int n = 0; n < nodes.size(); n++) {
            JsonNode ext = nodes.get(n).path("extensions").path(EXTENSION);
            if (!ext.isObject() || !nodes.get(n).has("mesh")) {
                continue;
            }
            try {
                Matrix4f[] placements = placements(accessors, ext.path("attributes"), Instances.MAX_INSTANCES - total);
                total += placements.length;
                out.put(n, placements);
            } catch (IllegalArgumentException e) {
                unsupported.add(EXTENSION + " on node " + n + " is not read (" + e.getMessage() + "); its mesh is drawn once");
            }
        }
        return out;
    }

    private static Matrix4f[] placements(GltfAccessors accessors, JsonNode attributes, int maxCount) {
        float[] t = attribute(accessors, attributes, "TRANSLATION", "VEC3", 3, maxCount);
        float[] r = attribute(accessors, attributes, "ROTATION", "VEC4", 4, maxCount);
        float[] s = attribute(accessors, attributes, "SCALE", "VEC3", 3, maxCount);
        int count = t != null ? t.length / 3 : r != null ? r.length / 4 : s != null ? s.length / 3 : 0;
        if (count == 0) {
            throw new IllegalArgumentException("it has no TRANSLATION, ROTATION or SCALE attribute");
        }
        if ((t != null && t.length != count * 3) || (r != null && r.length != count * 4) || (s != null && s.length != count * 3)) {
            throw new IllegalArgumentException("its attributes have different counts");
        }
        Matrix4f[] out = new Matrix4f[count];
        for (int i = 0; i < count; i++) {
            Matrix4f m = new Matrix4f().translationRotateScale(
                    t == null ? 0 : t[i * 3], t == null ? 0 : t[i * 3 + 1], t == null ? 0 : t[i * 3 + 2],
                    r == null ? 0 : r[i * 4], r == null ? 0 : r[i * 4 + 1], r == null ? 0 : r[i * 4 + 2], r == null ? 1 : r[i * 4 + 3],
                    s == null ? 1 : s[i * 3], s == null ? 1 : s[i * 3 + 1], s == null ? 1 : s[i * 3 + 2]);
            if (!m.isFinite()) {
                throw new IllegalArgumentException("placement " + i + " is not finite");
            }
            out[i] = m;
        }
        return out;
    }

    private static float[] attribute(GltfAccessors accessors, JsonNode attributes, String name, String type, int components,
                                     int maxCount) {
        JsonNode index = attributes.path(name);
        if (index.isMissingNode()) {
            return null;
        }
        if (maxCount < 1) {
            throw new IllegalArgumentException("the scene already places " + Instances.MAX_INSTANCES + " instances");
        }
        return accessors.floats(index.asInt(-1), type, components, maxCount);
    }
}
