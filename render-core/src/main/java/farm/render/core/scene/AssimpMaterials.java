package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import org.lwjgl.PointerBuffer;
import org.lwjgl.assimp.AIColor4D;
import org.lwjgl.assimp.AIMaterial;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.AIString;
import org.lwjgl.system.MemoryStack;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.lwjgl.assimp.Assimp.*;

/**
 * The scene's materials in Assimp's order, which meshes index: a glTF file's come from its document
 * ({@link GltfMaterials}), other formats' from Assimp's material keys, mapped to the nearest
 * metallic-roughness equivalent.
 */
final class AssimpMaterials {
    private AssimpMaterials() {
    }

    /** One material per Assimp material (a grey default when there is none); {@code gltfMaterials} is null for other formats. */
    static List<Material> of(AIScene ai, GltfDocument gltf, GltfMaterials gltfMaterials, List<String> unsupported)
            throws InvalidSceneException {
        List<Material> materials = new ArrayList<>();
        PointerBuffer mats = ai.mMaterials();
        // glTF materials come from the document. Assimp lists only the materials meshes use, in the order they are
        // first used, and may append a default one: each is found in the document by its name when that is unique.
        for (int i = 0; i < ai.mNumMaterials(); i++) {
            int g = gltfMaterials == null ? i : documentMaterial(gltf.json(), AIMaterial.create(mats.get(i)), i);
            if (gltfMaterials != null && g < gltfMaterials.materialCount()) {
                materials.add(gltfMaterials.material(g));
            } else {
                materials.add(material(AIMaterial.create(mats.get(i)), unsupported));
            }
        }
        if (materials.isEmpty()) {
            materials.add(new Material("default", new Rgb(0.8f, 0.8f, 0.8f), Rgb.BLACK));
        }
        return materials;
    }

    /** The index in the glTF document of Assimp's material {@code m}: the one material with its name, else {@code fallback}. */
    private static int documentMaterial(JsonNode doc, AIMaterial m, int fallback) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            AIString name = AIString.malloc(stack);
            if (aiGetMaterialString(m, AI_MATKEY_NAME, 0, 0, name) != aiReturn_SUCCESS || name.dataString().isEmpty()) {
                return fallback;
            }
            int found = -1;
            JsonNode list = doc.path("materials");
            for (int j = 0; j < list.size(); j++) {
                if (name.dataString().equals(list.get(j).path("name").asText(""))) {
                    if (found >= 0) {
                        return fallback;
                    }
                    found = j;
                }
            }
            return found >= 0 ? found : fallback;
        }
    }

    private static Material material(AIMaterial m, List<String> unsupported) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            AIString name = AIString.malloc(stack);
            String materialName = aiGetMaterialString(m, AI_MATKEY_NAME, 0, 0, name) == aiReturn_SUCCESS ? name.dataString() : "";
            AIColor4D colour = AIColor4D.malloc(stack);
            Rgb base = new Rgb(0.8f, 0.8f, 0.8f);
            if (aiGetMaterialColor(m, AI_MATKEY_BASE_COLOR, aiTextureType_NONE, 0, colour) == aiReturn_SUCCESS
                    || aiGetMaterialColor(m, AI_MATKEY_COLOR_DIFFUSE, aiTextureType_NONE, 0, colour) == aiReturn_SUCCESS) {
                base = new Rgb(clamp01(colour.r()), clamp01(colour.g()), clamp01(colour.b()));
            }
            Rgb emission = Rgb.BLACK;
            if (aiGetMaterialColor(m, AI_MATKEY_COLOR_EMISSIVE, aiTextureType_NONE, 0, colour) == aiReturn_SUCCESS) {
                float strength = 1f;
                FloatBuffer value = stack.mallocFloat(1);
                IntBuffer max = stack.ints(1);
                if (aiGetMaterialFloatArray(m, AI_MATKEY_EMISSIVE_INTENSITY, aiTextureType_NONE, 0, value, max) == aiReturn_SUCCESS) {
                    strength = value.get(0);
                }
                emission = new Rgb(Math.max(0, colour.r()), Math.max(0, colour.g()), Math.max(0, colour.b())).times(Math.max(0, strength));
            }
            // glTF metallic-roughness factors; formats without them map to a purely diffuse surface.
            float metallic = 0f;
            float roughness = 1f;
            float specular = 0f;
            Float value = floatKey(m, AI_MATKEY_METALLIC_FACTOR, stack);
            if (value != null) {
                metallic = value;
                specular = 1f;
            }
            value = floatKey(m, AI_MATKEY_ROUGHNESS_FACTOR, stack);
            if (value != null) {
                roughness = value;
            }
            value = floatKey(m, AI_MATKEY_SPECULAR_FACTOR, stack);
            if (value != null) {
                specular = value;
            }
            IntBuffer twoSided = stack.mallocInt(1);
            boolean doubleSided = aiGetMaterialIntegerArray(m, AI_MATKEY_TWOSIDED, aiTextureType_NONE, 0, twoSided, stack.ints(1))
                    == aiReturn_SUCCESS && twoSided.get(0) != 0;
            if (aiGetMaterialTextureCount(m, aiTextureType_BASE_COLOR) + aiGetMaterialTextureCount(m, aiTextureType_DIFFUSE) > 0) {
                unsupported.add("material '" + materialName + "': base colour texture (constant factor used)");
            }
            if (aiGetMaterialTextureCount(m, aiTextureType_DIFFUSE_ROUGHNESS) + aiGetMaterialTextureCount(m, aiTextureType_METALNESS)
                    + aiGetMaterialTextureCount(m, aiTextureType_GLTF_METALLIC_ROUGHNESS) > 0) {
                unsupported.add("material '" + materialName + "': metallic-roughness texture (constant factors used)");
            }
            if (aiGetMaterialTextureCount(m, aiTextureType_NORMALS) > 0) {
                unsupported.add("material '" + materialName + "': normal texture (geometric normals used)");
            }
            if (aiGetMaterialTextureCount(m, aiTextureType_EMISSIVE) > 0) {
                unsupported.add("material '" + materialName + "': emissive texture (constant factor used)");
            }
            if (!Float.isFinite(metallic) || !Float.isFinite(roughness) || !Float.isFinite(specular)) {
                metallic = 0f;
                roughness = 1f;
                specular = 0f;
                unsupported.add("material '" + materialName + "': non-finite factors replaced by a diffuse surface");
            }
            if (!base.isFinite() || !emission.isFinite()) {
                base = new Rgb(0.8f, 0.8f, 0.8f);
                emission = Rgb.BLACK;
                unsupported.add("material '" + materialName + "': non-finite colour replaced by grey");
            }
            return new Material(materialName, base, emission, metallic, roughness, specular, doubleSided);
        }
    }

    private static Float floatKey(AIMaterial m, String key, MemoryStack stack) {
        FloatBuffer value = stack.mallocFloat(1);
        IntBuffer max = stack.ints(1);
        return aiGetMaterialFloatArray(m, key, aiTextureType_NONE, 0, value, max) == aiReturn_SUCCESS ? value.get(0) : null;
    }

    private static float clamp01(float v) {
        return Float.isFinite(v) ? Math.min(1f, Math.max(0f, v)) : v;
    }
}
