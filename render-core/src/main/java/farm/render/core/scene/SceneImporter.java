package farm.render.core.scene;

import farm.render.core.bvh.Bvh;
import farm.render.core.bvh.BvhBuilder;
import org.lwjgl.assimp.AINode;
import org.lwjgl.assimp.AIScene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.lwjgl.assimp.Assimp.*;

/**
 * Imports a source scene file (glTF/GLB first; OBJ, FBX, DAE, PLY, STL through Assimp) into a
 * {@link Scene}: node transforms applied, every triangle in world space ({@link SceneNodes}, with
 * {@link CornerShading}), materials mapped to the nearest equivalent ({@link AssimpMaterials}), the
 * camera and lights placed ({@link AssimpCamera}, {@link AssimpLights}). Runs native code on
 * untrusted bytes, so the coordinator calls it through {@link IsolatedImport} in a separate, limited process.
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
        GltfMaterials gltfMaterials = gltf == null ? null : new GltfMaterials(gltf, unsupported);
        List<Material> materials = AssimpMaterials.of(ai, gltf, gltfMaterials, unsupported);
        List<Texture> textures = gltfMaterials == null ? List.of() : gltfMaterials.textures();
        EnvironmentMap environmentMap = gltfMaterials == null ? EnvironmentMap.NONE : gltfMaterials.environmentMap();
        AINode root = ai.mRootNode();
        if (root == null) {
            throw new InvalidSceneException("the file has no scene graph");
        }
        SceneGraph graph = SceneGraph.of(root);
        if (gltf != null) {
            graph.instanceGltf(gltf.json(), gltf.glbBinary(), unsupported);
        }
        if (ai.mNumAnimations() > 0 && gltf != null) {
            graph.animateGltf(gltf.json(), gltf.glbBinary(), unsupported);
        } else if (ai.mNumAnimations() > 0) {
            unsupported.add(ai.mNumAnimations() + " animation(s): only glTF node animation is played; frames render the rest pose");
        }
        if (ai.mNumTextures() > 0 && gltfMaterials == null) {
            unsupported.add(ai.mNumTextures() + " embedded texture(s): materials use their constant factors");
        }

        boolean normalMaps = materials.stream().anyMatch(m -> m.textures().normal().present());
        SceneNodes nodes = SceneNodes.walk(ai, root, materials, graph, normalMaps);
        if (nodes.triangleCount() == 0) {
            throw new InvalidSceneException("the file has no triangles to render");
        }
        if (nodes.triangleCount() > ScenePackage.MAX_TRIANGLES) {
            throw new InvalidSceneException("the scene has " + nodes.triangleCount() + " triangles; the limit is "
                    + ScenePackage.MAX_TRIANGLES);
        }
        float[] p = nodes.positions();
        for (float f : p) {
            if (!Float.isFinite(f)) {
                throw new InvalidSceneException("the scene has vertex positions that are not finite numbers");
            }
        }
        int flat = nodes.flatTriangleCount();
        Instances instances = instances(nodes, p);
        AssimpCamera camera = AssimpCamera.of(ai, nodes, worldBox(p, flat, instances), unsupported, graph);
        List<PunctualLight> lights = AssimpLights.of(ai, nodes, unsupported, graph);
        Animation animation = graph.animation(camera.binding());
        Bvh bvh = BvhBuilder.build(flat == nodes.triangleCount() ? p : Arrays.copyOf(p, flat * 9));
        return new Scene(camera.camera(), materials, p, nodes.materialIds(), unsupported, lights, environment, bvh,
                animation, textures, nodes.shading(), environmentMap, instances);
    }

    /** The walk's instanced meshes, each with its own hierarchy, and their placements. */
    private static Instances instances(SceneNodes nodes, float[] positions) {
        List<int[]> ranges = nodes.meshRanges();
        if (ranges.isEmpty()) {
            return Instances.NONE;
        }
        List<Instances.Mesh> meshes = new ArrayList<>();
        int[] renumbered = new int[ranges.size()];
        for (int m = 0; m < ranges.size(); m++) {
            int[] r = ranges.get(m);
            renumbered[m] = r[1] == 0 ? -1 : meshes.size(); // a mesh without whole triangles places nothing
            if (r[1] > 0) {
                float[] local = Arrays.copyOfRange(positions, r[0] * 9, (r[0] + r[1]) * 9);
                meshes.add(new Instances.Mesh(r[0], r[1], BvhBuilder.build(local)));
            }
        }
        int[] meshOf = nodes.instanceMeshes();
        float[] transforms = nodes.instanceTransforms();
        int kept = 0;
        for (int i = 0; i < meshOf.length; i++) {
            if (renumbered[meshOf[i]] >= 0) {
                System.arraycopy(transforms, i * 12, transforms, kept * 12, 12);
                meshOf[kept++] = renumbered[meshOf[i]];
            }
        }
        return meshes.isEmpty() ? Instances.NONE
                : new Instances(meshes, Arrays.copyOf(meshOf, kept), Arrays.copyOf(transforms, kept * 12));
    }

    /** Six floats, min x y z then max x y z: the box of the flat triangles and every placed instance. */
    private static float[] worldBox(float[] positions, int flat, Instances instances) {
        float[] box = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < flat * 9; i++) {
            box[i % 3] = Math.min(box[i % 3], positions[i]);
            box[3 + i % 3] = Math.max(box[3 + i % 3], positions[i]);
        }
        for (int i = 0; i < instances.count(); i++) {
            float[] b = instances.worldBox(i);
            for (int a = 0; a < 3; a++) {
                box[a] = Math.min(box[a], b[a]);
                box[3 + a] = Math.max(box[3 + a], b[3 + a]);
            }
        }
        return box;
    }
}
