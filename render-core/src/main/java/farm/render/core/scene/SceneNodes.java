package farm.render.core.scene;

import org.joml.Matrix3f;
import org.joml.Matrix4f;
import org.joml.Matrix4fc;
import org.lwjgl.PointerBuffer;
import org.lwjgl.assimp.AIFace;
import org.lwjgl.assimp.AIMatrix4x4;
import org.lwjgl.assimp.AIMesh;
import org.lwjgl.assimp.AINode;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.AIVector3D;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.lwjgl.assimp.Assimp.aiPrimitiveType_TRIANGLE;

/**
 * Assimp's node tree walked depth-first in pre-order (the order of {@link SceneGraph}): every
 * triangle in world space with its material index and corner shading, each node's world transform
 * by name, and node-space copies of the triangles that hang from animated nodes.
 *
 * <p>A mesh that several still nodes place, whose copies would add at least {@link #MIN_COPIED_TRIANGLES}
 * triangles and which does not emit, is instanced instead: its triangles are stored once, in its own space, after
 * the flat ones, and each node that places it becomes an instance with its world transform. A node's
 * {@code EXT_mesh_gpu_instancing} placements are instances too, whatever their number.
 */
final class SceneNodes {
    private static final Matrix4fc IDENTITY = new Matrix4f();
    private static final Matrix3f IDENTITY_NORMALS = new Matrix3f();
    /** Below this many extra triangles a repeated mesh is cheaper flat: one walk, no ray transforms. */
    static final long MIN_COPIED_TRIANGLES = 4096;

    private final AIScene ai;
    private final int materialCount;
    private final SceneGraph graph;
    /** Per Assimp mesh: whether its placements become instances. */
    private final boolean[] instanced;
    /** Per material: whether it emits (an emitting mesh stays flat, in the lights' list). */
    private final boolean[] emissive;
    /** Instanced Assimp meshes in the order first placed, with their index among the instanced meshes. */
    private final Map<Integer, Integer> meshSlots = new LinkedHashMap<>();
    private final IntList instanceMeshes = new IntList();
    private final FloatList instanceTransforms = new FloatList();
    private final List<int[]> meshRanges = new ArrayList<>();
    /** Triangles placed in world space; the instanced meshes' follow them. */
    private int flatTriangles;
    private final FloatList positions = new FloatList();
    private final IntList ids = new IntList();
    private final CornerShading shading;
    private final int[] corner = new int[3];
    private final Map<String, Matrix4fc> transforms = new HashMap<>();
    private int visited;

    private SceneNodes(AIScene ai, List<Material> materials, SceneGraph graph, boolean normalMaps, AINode root) {
        this.ai = ai;
        this.shading = new CornerShading(normalMaps);
        this.materialCount = materials.size();
        this.graph = graph;
        this.instanced = instancedMeshes(ai, root, materials, graph);
        this.emissive = new boolean[materials.size()];
        for (int m = 0; m < emissive.length; m++) {
            emissive[m] = materials.get(m).isEmissive();
        }
    }

    /**
     * Walks the tree from {@code root}, then stores each instanced mesh once; tangents are kept only when
     * {@code normalMaps} (a material has a normal map).
     */
    static SceneNodes walk(AIScene ai, AINode root, List<Material> materials, SceneGraph graph, boolean normalMaps)
            throws InvalidSceneException {
        SceneNodes nodes = new SceneNodes(ai, materials, graph, normalMaps, root);
        nodes.walk(root, IDENTITY, 0);
        nodes.flatTriangles = nodes.ids.size;
        for (int mesh : nodes.meshSlots.keySet()) {
            int first = nodes.ids.size;
            nodes.addMesh(AIMesh.create(ai.mMeshes().get(mesh)), IDENTITY, IDENTITY_NORMALS, null);
            nodes.meshRanges.add(new int[] {first, nodes.ids.size - first});
        }
        return nodes;
    }

    /** Triangles stored: the flat ones, then each instanced mesh's once. */
    int triangleCount() {
        return ids.size;
    }

    /** The triangles placed in world space, first in the arrays. */
    int flatTriangleCount() {
        return flatTriangles;
    }

    /** Per instanced mesh, its first triangle and count. */
    List<int[]> meshRanges() {
        return meshRanges;
    }

    /** Per instance, the instanced mesh it places (an index into {@link #meshRanges()}). */
    int[] instanceMeshes() {
        return instanceMeshes.toArray();
    }

    /** Per instance, its 3×4 mesh-to-world matrix, row-major. */
    float[] instanceTransforms() {
        return instanceTransforms.toArray();
    }

    /**
     * Which Assimp meshes become instances: placed by at least two nodes, none of them animated, not emissive, and
     * whose copies beyond the first would add at least {@link #MIN_COPIED_TRIANGLES} triangles.
     */
    private static boolean[] instancedMeshes(AIScene ai, AINode root, List<Material> materials, SceneGraph graph) {
        int meshCount = ai.mNumMeshes();
        int[] uses = new int[meshCount];
        boolean[] moving = new boolean[meshCount];
        countUses(root, 0, new int[1], graph, uses, moving);
        boolean[] out = new boolean[meshCount];
        PointerBuffer meshes = ai.mMeshes();
        for (int m = 0; m < meshCount; m++) {
            if (uses[m] < 2 || moving[m]) {
                continue;
            }
            AIMesh mesh = AIMesh.create(meshes.get(m));
            int material = Math.min(Math.max(mesh.mMaterialIndex(), 0), materials.size() - 1);
            out[m] = (mesh.mPrimitiveTypes() & aiPrimitiveType_TRIANGLE) != 0 && !materials.get(material).isEmissive()
                    && (long) (uses[m] - 1) * mesh.mNumFaces() >= MIN_COPIED_TRIANGLES;
        }
        return out;
    }

    /** Counts each mesh's placements in pre-order, marking meshes placed by an animated node. */
    private static void countUses(AINode node, int depth, int[] visited, SceneGraph graph, int[] uses, boolean[] moving) {
        if (depth > 256) {
            return; // the walk itself refuses this tree
        }
        boolean animated = graph.animated(visited[0]++);
        IntBuffer meshIndices = node.mMeshes();
        for (int i = 0; i < node.mNumMeshes(); i++) {
            int m = meshIndices.get(i);
            if (m >= 0 && m < uses.length) {
                uses[m]++;
                moving[m] |= animated;
            }
        }
        PointerBuffer children = node.mChildren();
        for (int i = 0; i < node.mNumChildren(); i++) {
            countUses(AINode.create(children.get(i)), depth + 1, visited, graph, uses, moving);
        }
    }

    /** Nine floats per triangle, world space. */
    float[] positions() {
        return positions.toArray();
    }

    int[] materialIds() {
        return ids.toArray();
    }

    /** The corner attributes; tangents only when the walk was asked for them. */
    Shading shading() {
        return shading.toShading();
    }

    /** The world transform of the first node (pre-order) named {@code name}; the identity when there is none. */
    Matrix4fc worldTransform(String name) {
        return transforms.getOrDefault(name, IDENTITY);
    }

    private void walk(AINode node, Matrix4fc parent, int depth) throws InvalidSceneException {
        if (depth > 256) {
            throw new InvalidSceneException("the scene graph is nested deeper than 256 levels");
        }
        int graphIndex = visited++;
        FloatList local = graph.animated(graphIndex) ? new FloatList() : null; // node-space copies of triangles that move
        int firstTriangle = ids.size;
        Matrix4f world = parent.mul(matrix(node.mTransformation()), new Matrix4f());
        transforms.putIfAbsent(node.mName().dataString(), world);
        IntBuffer meshIndices = node.mMeshes();
        PointerBuffer meshes = ai.mMeshes();
        Matrix3f normalMatrix = normalMatrix(world);
        Matrix4f[] gpuPlacements = local == null ? graph.gpuInstances(graphIndex) : null;
        for (int i = 0; i < node.mNumMeshes(); i++) {
            int meshIndex = meshIndices.get(i);
            if (gpuPlacements != null) {
                placeEach(meshIndex, world, gpuPlacements);
            } else if (!(meshIndex >= 0 && meshIndex < instanced.length && instanced[meshIndex] && local == null
                    && place(meshIndex, world))) {
                addMesh(AIMesh.create(meshes.get(meshIndex)), world, normalMatrix, local);
            }
        }
        if (local != null && ids.size > firstTriangle) {
            graph.bind(graphIndex, firstTriangle, local.toArray());
        }
        PointerBuffer children = node.mChildren();
        for (int i = 0; i < node.mNumChildren(); i++) {
            walk(AINode.create(children.get(i)), world, depth + 1);
        }
    }

    /** Adds {@code mesh}'s triangles placed by {@code world}; node-space copies go to {@code local} when it is given. */
    private void addMesh(AIMesh mesh, Matrix4fc world, Matrix3f normalMatrix, FloatList local) throws InvalidSceneException {
        if ((mesh.mPrimitiveTypes() & aiPrimitiveType_TRIANGLE) == 0) {
            return;
        }
        int material = Math.min(Math.max(mesh.mMaterialIndex(), 0), materialCount - 1);
        AIVector3D.Buffer vertices = mesh.mVertices();
        AIVector3D.Buffer normals = mesh.mNormals();
        AIVector3D.Buffer tangents = mesh.mTangents();
        AIVector3D.Buffer bitangents = mesh.mBitangents();
        AIVector3D.Buffer uv0 = mesh.mTextureCoords(0);
        AIVector3D.Buffer uv1 = mesh.mTextureCoords(1);
        AIFace.Buffer faces = mesh.mFaces();
        for (int f = 0; f < mesh.mNumFaces(); f++) {
            AIFace face = faces.get(f);
            if (face.mNumIndices() != 3) {
                continue;
            }
            IntBuffer idx = face.mIndices();
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
                throw new SceneLimitException(SceneLimitException.Limit.TRIANGLES, "the scene has more than "
                        + ScenePackage.MAX_TRIANGLES + " triangles once its nodes are placed");
            }
        }
    }

    /**
     * Draws Assimp mesh {@code meshIndex} at each of a node's GPU-instancing placements: as instances when it may be
     * one (it does not emit), else copied into world space.
     */
    private void placeEach(int meshIndex, Matrix4fc world, Matrix4f[] placements) throws InvalidSceneException {
        AIMesh mesh = AIMesh.create(ai.mMeshes().get(meshIndex));
        int material = Math.min(Math.max(mesh.mMaterialIndex(), 0), materialCount - 1);
        boolean instance = (mesh.mPrimitiveTypes() & aiPrimitiveType_TRIANGLE) != 0 && !emissive[material];
        for (Matrix4f placement : placements) {
            Matrix4f w = world.mul(placement, new Matrix4f());
            if (!(instance && place(meshIndex, w))) {
                addMesh(mesh, w, normalMatrix(w), null);
            }
        }
    }

    /**
     * Records an instance of Assimp mesh {@code meshIndex} placed by {@code world}; false, recording nothing, when
     * {@code world} cannot place an instance (not finite or not invertible), so the caller copies the mesh instead.
     */
    private boolean place(int meshIndex, Matrix4fc world) throws SceneLimitException {
        float[] rows = rows(world);
        if (!Instances.invertible(rows, 0)) {
            return false;
        }
        if (instanceMeshes.size >= Instances.MAX_INSTANCES) {
            throw new SceneLimitException(SceneLimitException.Limit.TRIANGLES, "the scene places more than "
                    + Instances.MAX_INSTANCES + " instances of its meshes");
        }
        Integer slot = meshSlots.computeIfAbsent(meshIndex, m -> meshSlots.size());
        instanceMeshes.add(slot);
        instanceTransforms.add(rows);
        return true;
    }

    /** The upper 3×4 of {@code m}, row-major. */
    private static float[] rows(Matrix4fc m) {
        return new float[] {m.m00(), m.m10(), m.m20(), m.m30(), m.m01(), m.m11(), m.m21(), m.m31(),
                m.m02(), m.m12(), m.m22(), m.m32()};
    }

    /** A node transform: Assimp stores it row-major (a1..a4 is the first row, translation in column 4). */
    private static Matrix4f matrix(AIMatrix4x4 m) {
        return new Matrix4f(m.a1(), m.b1(), m.c1(), m.d1(), m.a2(), m.b2(), m.c2(), m.d2(),
                m.a3(), m.b3(), m.c3(), m.d3(), m.a4(), m.b4(), m.c4(), m.d4());
    }

    /** Cofactor matrix of the upper 3×3, signed so it maps normals like the inverse transpose. */
    private static Matrix3f normalMatrix(Matrix4fc m) {
        Matrix3f cofactors = m.cofactor3x3(new Matrix3f());
        return m.determinant3x3() < 0 ? cofactors.scale(-1f) : cofactors;
    }
}
