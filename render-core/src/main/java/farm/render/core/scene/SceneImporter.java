package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.bvh.BvhBuilder;
import org.lwjgl.PointerBuffer;
import org.lwjgl.assimp.AICamera;
import org.lwjgl.assimp.AIColor3D;
import org.lwjgl.assimp.AIColor4D;
import org.lwjgl.assimp.AILight;
import org.lwjgl.assimp.AIFace;
import org.lwjgl.assimp.AIMaterial;
import org.lwjgl.assimp.AIMatrix4x4;
import org.lwjgl.assimp.AIMesh;
import org.lwjgl.assimp.AINode;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.AIString;
import org.lwjgl.assimp.AIVector3D;
import org.joml.Matrix3f;
import org.joml.Matrix3fc;
import org.joml.Matrix4f;
import org.joml.Matrix4fc;
import org.joml.Vector3f;
import org.lwjgl.system.MemoryStack;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.lwjgl.assimp.Assimp.*;

/**
 * Imports a source scene file (glTF/GLB first; OBJ, FBX, DAE, PLY, STL through Assimp) into a
 * {@link Scene}: node transforms applied, every triangle in world space, materials mapped to the
 * nearest equivalent. Runs native code on untrusted bytes, so the coordinator calls it through
 * {@link IsolatedImport} in a separate, limited process.
 */
public final class SceneImporter {
    public static final Set<String> EXTENSIONS = Set.of("gltf", "glb", "obj", "fbx", "dae", "ply", "stl", "3ds", "blend");

    private SceneImporter() {
    }

    public static Scene importScene(byte[] source, String extension) throws InvalidSceneException {
        return importWithCounts(source, extension).scene();
    }

    /** A scene as imported, with the counts of the source file that the scene itself does not keep. */
    public record Imported(Scene scene, SourceCounts counts) {
    }

    public static Imported importWithCounts(byte[] source, String extension) throws InvalidSceneException {
        String ext = extension.toLowerCase(Locale.ROOT);
        if (!EXTENSIONS.contains(ext)) {
            throw new InvalidSceneException("file type ." + ext + " is not supported; use one of " + new TreeSet<>(EXTENSIONS));
        }
        if (source.length == 0) {
            throw new InvalidSceneException("the file is empty");
        }
        SourceChecks.check(source, ext);
        try (SandboxedFiles files = new SandboxedFiles(source, ext)) {
            int flags = aiProcess_Triangulate | aiProcess_SortByPType | aiProcess_ValidateDataStructure;
            AIScene ai = files.importScene(flags);
            if (ai == null) {
                throw new InvalidSceneException("the file could not be read as ." + ext + ": " + aiGetErrorString());
            }
            if (!files.refusedNames().isEmpty()) {
                aiReleaseImport(ai);
                throw new InvalidSceneException("the scene refers to files outside the upload " + files.refusedNames()
                        + "; upload one self-contained file (GLB, or glTF with embedded data)");
            }
            try {
                GltfDocument document = GltfDocument.read(source, ext);
                Scene scene = convert(ai, GltfExtras.environment(document), document);
                return new Imported(scene, SourceCounts.of(ai, document == null ? null : document.json()));
            } finally {
                aiReleaseImport(ai);
            }
        }
    }

    private static Scene convert(AIScene ai, Rgb environment, GltfDocument gltf) throws InvalidSceneException {
        List<String> unsupported = new ArrayList<>();
        if ((ai.mFlags() & AI_SCENE_FLAGS_INCOMPLETE) != 0) {
            throw new InvalidSceneException("the file is incomplete");
        }
        List<Material> materials = new ArrayList<>();
        PointerBuffer mats = ai.mMaterials();
        // glTF materials come from the document. Assimp lists only the materials meshes use, in the order they are
        // first used, and may append a default one: each is found in the document by its name when that is unique.
        GltfMaterials gltfMaterials = gltf == null ? null : new GltfMaterials(gltf, unsupported);
        for (int i = 0; i < ai.mNumMaterials(); i++) {
            int g = gltfMaterials == null ? i : documentMaterial(gltf.json(), AIMaterial.create(mats.get(i)), i);
            if (gltfMaterials != null && g < gltfMaterials.materialCount()) {
                materials.add(gltfMaterials.material(g));
            } else {
                materials.add(material(AIMaterial.create(mats.get(i)), unsupported));
            }
        }
        List<Texture> textures = gltfMaterials == null ? List.of() : gltfMaterials.textures();
        EnvironmentMap environmentMap = gltfMaterials == null ? EnvironmentMap.NONE : gltfMaterials.environmentMap();
        if (materials.isEmpty()) {
            materials.add(new Material("default", new Rgb(0.8f, 0.8f, 0.8f), Rgb.BLACK));
        }
        AINode root = ai.mRootNode();
        if (root == null) {
            throw new InvalidSceneException("the file has no scene graph");
        }
        SceneGraph graph = SceneGraph.of(root);
        if (ai.mNumAnimations() > 0 && gltf != null) {
            graph.animateGltf(gltf.json(), gltf.glbBinary(), unsupported);
        } else if (ai.mNumAnimations() > 0) {
            unsupported.add(ai.mNumAnimations() + " animation(s): only glTF node animation is played; frames render the rest pose");
        }
        if (ai.mNumTextures() > 0 && gltfMaterials == null) {
            unsupported.add(ai.mNumTextures() + " embedded texture(s): materials use their constant factors");
        }

        FloatList positions = new FloatList();
        IntList ids = new IntList();
        ShadingLists shading = new ShadingLists();
        Map<String, Matrix4fc> nodeTransforms = new HashMap<>();
        walk(ai, root, IDENTITY, positions, ids, shading, nodeTransforms, materials.size(), 0, graph, new int[1]);
        if (ids.size == 0) {
            throw new InvalidSceneException("the file has no triangles to render");
        }
        if (ids.size > ScenePackage.MAX_TRIANGLES) {
            throw new InvalidSceneException("the scene has " + ids.size + " triangles; the limit is " + ScenePackage.MAX_TRIANGLES);
        }
        float[] p = positions.toArray();
        for (float f : p) {
            if (!Float.isFinite(f)) {
                throw new InvalidSceneException("the scene has vertex positions that are not finite numbers");
            }
        }
        Animation.CameraBinding[] cameraNode = {Animation.CameraBinding.NONE};
        Camera camera = camera(ai, nodeTransforms, p, unsupported, graph, cameraNode);
        List<PunctualLight> lights = lights(ai, nodeTransforms, unsupported, graph);
        Animation animation = graph.animation(cameraNode[0]);
        boolean normalMaps = materials.stream().anyMatch(m -> m.textures().normal().present());
        return new Scene(camera, materials, p, ids.toArray(), unsupported, lights, environment, BvhBuilder.build(p), animation,
                textures, shading.toShading(normalMaps), environmentMap);
    }

    private static void walk(AIScene ai, AINode node, Matrix4fc parent, FloatList positions, IntList ids, ShadingLists shading,
                             Map<String, Matrix4fc> transforms, int materialCount, int depth, SceneGraph graph, int[] visited)
            throws InvalidSceneException {
        if (depth > 256) {
            throw new InvalidSceneException("the scene graph is nested deeper than 256 levels");
        }
        int graphIndex = visited[0]++;
        FloatList local = graph.animated(graphIndex) ? new FloatList() : null; // node-space copies of triangles that move
        int firstTriangle = ids.size;
        Matrix4f world = parent.mul(matrix(node.mTransformation()), new Matrix4f());
        transforms.putIfAbsent(node.mName().dataString(), world);
        IntBuffer meshIndices = node.mMeshes();
        PointerBuffer meshes = ai.mMeshes();
        for (int i = 0; i < node.mNumMeshes(); i++) {
            AIMesh mesh = AIMesh.create(meshes.get(meshIndices.get(i)));
            if ((mesh.mPrimitiveTypes() & aiPrimitiveType_TRIANGLE) == 0) {
                continue;
            }
            int material = Math.min(Math.max(mesh.mMaterialIndex(), 0), materialCount - 1);
            AIVector3D.Buffer vertices = mesh.mVertices();
            AIVector3D.Buffer normals = mesh.mNormals();
            AIVector3D.Buffer tangents = mesh.mTangents();
            AIVector3D.Buffer bitangents = mesh.mBitangents();
            AIVector3D.Buffer uv0 = mesh.mTextureCoords(0);
            AIVector3D.Buffer uv1 = mesh.mTextureCoords(1);
            Matrix3f normalMatrix = normalMatrix(world);
            AIFace.Buffer faces = mesh.mFaces();
            for (int f = 0; f < mesh.mNumFaces(); f++) {
                AIFace face = faces.get(f);
                if (face.mNumIndices() != 3) {
                    continue;
                }
                IntBuffer idx = face.mIndices();
                int[] corner = new int[3];
                for (int c = 0; c < 3; c++) {
                    int vi = idx.get(c);
                    if (vi < 0 || vi >= mesh.mNumVertices()) {
                        throw new InvalidSceneException("a face refers to vertex " + vi + " of " + mesh.mNumVertices());
                    }
                    AIVector3D v = vertices.get(vi);
                    positions.addPoint(world, v.x(), v.y(), v.z());
                    corner[c] = vi;
                    if (local != null) {
                        local.addPoint(IDENTITY, v.x(), v.y(), v.z());
                    }
                }
                shading.addTriangle(positions, world, normalMatrix, corner, normals, tangents, bitangents, uv0, uv1);
                ids.add(material);
                if (ids.size > ScenePackage.MAX_TRIANGLES) {
                    throw new InvalidSceneException("the scene has more than " + ScenePackage.MAX_TRIANGLES + " triangles");
                }
            }
        }
        if (local != null && ids.size > firstTriangle) {
            graph.bind(graphIndex, firstTriangle, local.toArray());
        }
        PointerBuffer children = node.mChildren();
        for (int i = 0; i < node.mNumChildren(); i++) {
            walk(ai, AINode.create(children.get(i)), world, positions, ids, shading, transforms, materialCount, depth + 1, graph,
                    visited);
        }
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

    /** KHR_lights_punctual lights (and their equivalents in other formats), placed by their node's transform. */
    private static List<PunctualLight> lights(AIScene ai, Map<String, Matrix4fc> transforms, List<String> unsupported,
                                              SceneGraph graph) {
        List<PunctualLight> lights = new ArrayList<>();
        for (int i = 0; i < ai.mNumLights(); i++) {
            AILight light = AILight.create(ai.mLights().get(i));
            String name = light.mName().dataString();
            int node = graph.indexOf(name);
            if (node >= 0 && graph.animated(node)) {
                unsupported.add("light '" + name + "' hangs from an animated node: it stays where it rests");
            }
            Matrix4fc world = transforms.getOrDefault(name, IDENTITY);
            Vector3f position = world.transformPosition(light.mPosition().x(), light.mPosition().y(), light.mPosition().z(), new Vector3f());
            Vector3f direction = world.transformDirection(light.mDirection().x(), light.mDirection().y(), light.mDirection().z(),
                    new Vector3f());
            AIColor3D c = light.mColorDiffuse();
            Rgb intensity = new Rgb(Math.max(0, c.r()), Math.max(0, c.g()), Math.max(0, c.b()));
            if (!position.isFinite() || !direction.isFinite() || !intensity.isFinite() || lights.size() >= ScenePackage.MAX_LIGHTS) {
                unsupported.add("light '" + name + "' is degenerate or beyond the light limit: left out");
                continue;
            }
            switch (light.mType()) {
                case aiLightSource_POINT -> lights.add(PunctualLight.point(position, intensity));
                case aiLightSource_DIRECTIONAL -> {
                    if (direction.length() > 0) {
                        lights.add(PunctualLight.directional(direction, intensity));
                    }
                }
                case aiLightSource_SPOT -> {
                    // Assimp reports half-angles from the axis, as glTF's innerConeAngle and outerConeAngle.
                    float outer = Math.min((float) Math.PI / 2, Math.max(1e-4f, light.mAngleOuterCone()));
                    float inner = Math.min(outer, Math.max(0f, light.mAngleInnerCone()));
                    if (direction.length() > 0) {
                        lights.add(new PunctualLight(PunctualLight.Kind.SPOT, position, direction, intensity, inner, outer));
                    }
                }
                default -> unsupported.add("light '" + name + "' of type " + light.mType() + ": only point, spot and directional lights");
            }
        }
        return lights;
    }

    private static Camera camera(AIScene ai, Map<String, Matrix4fc> transforms, float[] positions, List<String> unsupported,
                                 SceneGraph graph, Animation.CameraBinding[] binding) {
        if (ai.mNumCameras() > 0) {
            AICamera cam = AICamera.create(ai.mCameras().get(0));
            Matrix4fc world = transforms.getOrDefault(cam.mName().dataString(), IDENTITY);
            Vector3f position = world.transformPosition(vec(cam.mPosition()), new Vector3f());
            Vector3f forward = world.transformDirection(vec(cam.mLookAt()), new Vector3f());
            Vector3f up = world.transformDirection(vec(cam.mUp()), new Vector3f());
            float aspect = cam.mAspect() > 0 ? cam.mAspect() : 1f;
            // Assimp stores the horizontal angle; glTF cameras are defined by yfov and aspect.
            float yfov = (float) (2 * Math.atan(Math.tan(cam.mHorizontalFOV() / 2) / aspect));
            if (ai.mNumCameras() > 1) {
                unsupported.add((ai.mNumCameras() - 1) + " extra camera(s): the first camera is used");
            }
            if (position.isFinite() && forward.length() > 0 && Float.isFinite(yfov) && yfov > 0.01f && yfov < 3.1f) {
                int node = graph.indexOf(cam.mName().dataString());
                if (node >= 0 && graph.animated(node)) {
                    binding[0] = new Animation.CameraBinding(node, vec(cam.mPosition()), vec(cam.mLookAt()), vec(cam.mUp()));
                }
                return new Camera(position, forward, up, yfov);
            }
            unsupported.add("camera '" + cam.mName().dataString() + "' is degenerate: a default framing is used");
        }
        float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < positions.length; i++) {
            min[i % 3] = Math.min(min[i % 3], positions[i]);
            max[i % 3] = Math.max(max[i % 3], positions[i]);
        }
        return Camera.framing(new Vector3f(min[0], min[1], min[2]), new Vector3f(max[0], max[1], max[2]));
    }

    private static float clamp01(float v) {
        return Float.isFinite(v) ? Math.min(1f, Math.max(0f, v)) : v;
    }

    /** A node transform: Assimp stores it row-major (a1..a4 is the first row, translation in column 4). */
    private static Matrix4f matrix(AIMatrix4x4 m) {
        return new Matrix4f(m.a1(), m.b1(), m.c1(), m.d1(), m.a2(), m.b2(), m.c2(), m.d2(),
                m.a3(), m.b3(), m.c3(), m.d3(), m.a4(), m.b4(), m.c4(), m.d4());
    }

    private static final Matrix4fc IDENTITY = new Matrix4f();

    private static Vector3f vec(AIVector3D v) {
        return new Vector3f(v.x(), v.y(), v.z());
    }

    /** Cofactor matrix of the upper 3×3, signed so it maps normals like the inverse transpose. */
    private static Matrix3f normalMatrix(Matrix4fc m) {
        Matrix3f cofactors = m.cofactor3x3(new Matrix3f());
        return m.determinant3x3() < 0 ? cofactors.scale(-1f) : cofactors;
    }

    /**
     * Per-corner normals, tangents and UV sets in world space, in triangle order. Corners of meshes
     * without an attribute get the flat normal, a tangent from the UVs, or UV (0, 0); an attribute no
     * mesh has is left out of the scene. UVs are stored as glTF has them (v down the image): Assimp
     * hands them over flipped to v up.
     */
    private static final class ShadingLists {
        final FloatList normals = new FloatList();
        final FloatList tangents = new FloatList();
        final FloatList uv0 = new FloatList();
        final FloatList uv1 = new FloatList();
        boolean anyNormals;
        boolean anyTangents;
        boolean anyUv0;
        boolean anyUv1;

        void addTriangle(FloatList positions, Matrix4fc world, Matrix3fc normalMatrix, int[] corner, AIVector3D.Buffer n,
                         AIVector3D.Buffer t, AIVector3D.Buffer b, AIVector3D.Buffer t0, AIVector3D.Buffer t1) {
            int base = positions.size - 9;
            float[] p = positions.data;
            Vector3f e1 = new Vector3f(p[base + 3] - p[base], p[base + 4] - p[base + 1], p[base + 5] - p[base + 2]);
            Vector3f e2 = new Vector3f(p[base + 6] - p[base], p[base + 7] - p[base + 1], p[base + 8] - p[base + 2]);
            Vector3f flat = Directions.unit(e1.cross(e2, new Vector3f()));
            anyNormals |= n != null;
            anyTangents |= t != null && b != null && n != null;
            anyUv0 |= t0 != null;
            anyUv1 |= t1 != null;
            float[] u = new float[6];
            for (int c = 0; c < 3; c++) {
                AIVector3D a = t0 == null ? null : t0.get(corner[c]);
                u[c * 2] = a == null ? 0 : a.x();
                u[c * 2 + 1] = a == null ? 0 : 1 - a.y();
                uv0.add(u[c * 2], u[c * 2 + 1]);
                AIVector3D a1 = t1 == null ? null : t1.get(corner[c]);
                uv1.add(a1 == null ? 0 : a1.x(), a1 == null ? 0 : 1 - a1.y());
            }
            // Face tangent from UV set 0 (Lengyel 2001), with v up the image as normal maps' green channel reads.
            float du1 = u[2] - u[0];
            float dv1 = -(u[3] - u[1]);
            float du2 = u[4] - u[0];
            float dv2 = -(u[5] - u[1]);
            float det = du1 * dv2 - du2 * dv1;
            boolean solvable = Math.abs(det) > 1e-20f;
            Vector3f faceT = solvable ? e1.mul(dv2, new Vector3f()).sub(e2.mul(dv1, new Vector3f())).mul(1 / det) : e1;
            Vector3f faceB = solvable ? e2.mul(du1, new Vector3f()).sub(e1.mul(du2, new Vector3f())).mul(1 / det)
                    : flat.cross(e1, new Vector3f());
            for (int c = 0; c < 3; c++) {
                Vector3f normal = flat;
                if (n != null) {
                    AIVector3D v = n.get(corner[c]);
                    normal = Directions.unit(normalMatrix.transform(v.x(), v.y(), v.z(), new Vector3f()));
                    if (!normal.isFinite() || normal.length() == 0) {
                        normal = flat;
                    }
                }
                normals.add(normal.x(), normal.y(), normal.z());
                Vector3f tangent = new Vector3f(faceT);
                float w = normal.cross(faceT, new Vector3f()).dot(faceB) < 0 ? -1f : 1f;
                if (t != null && b != null) {
                    AIVector3D tv = t.get(corner[c]);
                    AIVector3D bv = b.get(corner[c]);
                    world.transformDirection(tv.x(), tv.y(), tv.z(), tangent);
                    Vector3f bitangent = world.transformDirection(bv.x(), bv.y(), bv.z(), new Vector3f());
                    w = normal.cross(tangent, new Vector3f()).dot(bitangent) < 0 ? -1f : 1f;
                }
                Directions.unit(tangent);
                if (!tangent.isFinite()) {
                    tangent.set(1, 0, 0);
                }
                tangents.add(tangent.x(), tangent.y(), tangent.z());
                tangents.add(w);
            }
        }

        Shading toShading(boolean normalMaps) {
            return new Shading(anyNormals ? normals.toArray() : null, normalMaps ? tangents.toArray() : null,
                    anyUv0 ? uv0.toArray() : null, anyUv1 ? uv1.toArray() : null);
        }
    }

    private static final class FloatList {
        float[] data = new float[1024];
        int size;

        void addPoint(Matrix4fc m, float x, float y, float z) {
            if (size + 3 > data.length) {
                data = java.util.Arrays.copyOf(data, data.length * 2);
            }
            Vector3f p = m.transformPosition(x, y, z, new Vector3f());
            data[size++] = p.x();
            data[size++] = p.y();
            data[size++] = p.z();
        }

        void add(float... values) {
            if (size + values.length > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, size + values.length));
            }
            for (float v : values) {
                data[size++] = v;
            }
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }

    private static final class IntList {
        int[] data = new int[512];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
