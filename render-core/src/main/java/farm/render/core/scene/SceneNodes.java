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
import java.util.HashMap;
import java.util.Map;

import static org.lwjgl.assimp.Assimp.aiPrimitiveType_TRIANGLE;

/**
 * Assimp's node tree walked depth-first in pre-order (the order of {@link SceneGraph}): every
 * triangle in world space with its material index and corner shading, each node's world transform
 * by name, and node-space copies of the triangles that hang from animated nodes.
 */
final class SceneNodes {
    private static final Matrix4fc IDENTITY = new Matrix4f();

    private final AIScene ai;
    private final int materialCount;
    private final SceneGraph graph;
    private final FloatList positions = new FloatList();
    private final IntList ids = new IntList();
    private final CornerShading shading;
    private final int[] corner = new int[3];
    private final Map<String, Matrix4fc> transforms = new HashMap<>();
    private int visited;

    private SceneNodes(AIScene ai, int materialCount, SceneGraph graph, boolean normalMaps) {
        this.ai = ai;
        this.shading = new CornerShading(normalMaps);
        this.materialCount = materialCount;
        this.graph = graph;
    }

    /** Walks the tree from {@code root}; tangents are kept only when {@code normalMaps} (a material has a normal map). */
    static SceneNodes walk(AIScene ai, AINode root, int materialCount, SceneGraph graph, boolean normalMaps) throws InvalidSceneException {
        SceneNodes nodes = new SceneNodes(ai, materialCount, graph, normalMaps);
        nodes.walk(root, IDENTITY, 0);
        return nodes;
    }

    int triangleCount() {
        return ids.size;
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
        if (local != null && ids.size > firstTriangle) {
            graph.bind(graphIndex, firstTriangle, local.toArray());
        }
        PointerBuffer children = node.mChildren();
        for (int i = 0; i < node.mNumChildren(); i++) {
            walk(AINode.create(children.get(i)), world, depth + 1);
        }
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
