package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import org.joml.Matrix4f;
import org.lwjgl.PointerBuffer;
import org.lwjgl.assimp.AIMatrix4x4;
import org.lwjgl.assimp.AINode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The imported node tree in depth-first pre-order (the order {@link SceneImporter} walks it), and the
 * node animation over it: which nodes move, the triangles and camera that hang from them, and the
 * {@link Animation} they make. glTF channels name glTF nodes; the file's node tree is matched to
 * Assimp's by shape and names, and a file whose trees do not match renders its rest pose. The same match
 * carries {@code EXT_mesh_gpu_instancing} placements onto the tree.
 */
final class SceneGraph {
    private final List<String> names = new ArrayList<>();
    private final List<Integer> parents = new ArrayList<>();
    private final List<float[]> locals = new ArrayList<>();
    private final List<Integer> childCounts = new ArrayList<>();
    private final List<GltfAnimation.Channel> channels = new ArrayList<>();
    private final List<Integer> channelNodes = new ArrayList<>();
    private final Map<Integer, float[][]> restTrs = new HashMap<>();
    private final List<Animation.MeshBinding> meshes = new ArrayList<>();
    private final Map<Integer, Matrix4f[]> gpuInstances = new HashMap<>();
    private boolean[] animated;
    private float frameRate = Animation.DEFAULT_FRAME_RATE;
    private int frameStart = Animation.DEFAULT_FRAME_START;

    private SceneGraph() {
    }

    static SceneGraph of(AINode root) throws InvalidSceneException {
        SceneGraph g = new SceneGraph();
        g.add(root, -1, 0);
        g.animated = new boolean[g.names.size()];
        return g;
    }

    private void add(AINode node, int parent, int depth) throws InvalidSceneException {
        if (depth > 256) {
            throw new InvalidSceneException("the scene graph is nested deeper than 256 levels");
        }
        int index = names.size();
        names.add(node.mName().dataString());
        parents.add(parent);
        AIMatrix4x4 m = node.mTransformation();
        locals.add(new float[]{m.a1(), m.a2(), m.a3(), m.a4(), m.b1(), m.b2(), m.b3(), m.b4(),
                m.c1(), m.c2(), m.c3(), m.c4(), m.d1(), m.d2(), m.d3(), m.d4()});
        childCounts.add(node.mNumChildren());
        PointerBuffer children = node.mChildren();
        for (int i = 0; i < node.mNumChildren(); i++) {
            add(AINode.create(children.get(i)), index, depth + 1);
        }
    }

    /** Reads a glTF document's node animation and marks the nodes it moves (with everything below them). */
    void animateGltf(JsonNode doc, byte[] glbBinary, List<String> unsupported) {
        List<GltfAnimation.Channel> read = GltfAnimation.channels(doc, glbBinary, unsupported);
        if (read.isEmpty()) {
            return;
        }
        List<GltfAnimation.TreeNode> tree = GltfAnimation.tree(doc);
        if (!matches(tree)) {
            unsupported.add("node animation: the file's node tree does not match the imported one; frames render the rest pose");
            return;
        }
        Map<Integer, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < tree.size(); i++) {
            indexOf.put(tree.get(i).gltfNode(), i);
        }
        for (GltfAnimation.Channel c : read) {
            Integer index = indexOf.get(c.gltfNode());
            if (index == null || c.gltfNode() < 0) {
                unsupported.add("node animation: node " + c.gltfNode() + " is not in the rendered scene; its channels are left out");
            } else if (GltfAnimation.hasMatrix(doc, c.gltfNode())) {
                unsupported.add("node animation: node " + c.gltfNode() + " has a matrix, which glTF does not animate; its channels are left out");
            } else {
                channels.add(c);
                channelNodes.add(index);
                restTrs.put(index, GltfAnimation.restTrs(doc, c.gltfNode()));
                animated[index] = true;
            }
        }
        for (int i = 0; i < animated.length; i++) {
            animated[i] |= parents.get(i) >= 0 && animated[parents.get(i)];
        }
        frameRate = GltfExtras.frameRate(doc);
        frameStart = GltfExtras.frameStart(doc);
    }

    /**
     * Reads the document's {@code EXT_mesh_gpu_instancing} placements onto the nodes of this tree; a file whose tree
     * does not match the imported one draws each such mesh once, as Assimp read it.
     */
    void instanceGltf(JsonNode doc, byte[] glbBinary, List<String> unsupported) {
        Map<Integer, Matrix4f[]> read = GltfGpuInstancing.read(doc, glbBinary, unsupported);
        if (read.isEmpty()) {
            return;
        }
        List<GltfAnimation.TreeNode> tree = GltfAnimation.tree(doc);
        if (!matches(tree)) {
            unsupported.add(GltfGpuInstancing.EXTENSION + ": the file's node tree does not match the imported one; each mesh is"
                    + " drawn once");
            return;
        }
        for (int i = 0; i < tree.size(); i++) {
            Matrix4f[] placements = read.get(tree.get(i).gltfNode());
            if (placements != null) {
                gpuInstances.put(i, placements);
            }
        }
    }

    /** The placements relative to node {@code index} (pre-order) its mesh is drawn at, or null for once at the node. */
    Matrix4f[] gpuInstances(int index) {
        return gpuInstances.get(index);
    }

    private boolean matches(List<GltfAnimation.TreeNode> tree) {
        if (tree.size() != names.size()) {
            return false;
        }
        for (int i = 0; i < tree.size(); i++) {
            if (!tree.get(i).assimpName().equals(names.get(i)) || tree.get(i).childCount() != childCounts.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether node {@code index} (pre-order) or one of its ancestors is animated. */
    boolean animated(int index) {
        return animated[index];
    }

    /** Records that triangles [first, first + count) hang from {@code node}, given in its space. */
    void bind(int node, int firstTriangle, float[] localPositions) {
        meshes.add(new Animation.MeshBinding(node, firstTriangle, localPositions));
    }

    /** The first node (pre-order) named {@code name}, or -1. */
    int indexOf(String name) {
        return names.indexOf(name);
    }

    /**
     * The animation over the nodes that move and their ancestors, renumbered in pre-order.
     *
     * @param camera the camera in the space of the (pre-order) node it hangs from when that node moves, else NONE
     */
    Animation animation(Animation.CameraBinding camera) {
        if (channels.isEmpty()) {
            return Animation.NONE;
        }
        int n = names.size();
        boolean[] keep = animated.clone();
        for (int i = n - 1; i > 0; i--) {
            if (keep[i] && parents.get(i) >= 0) {
                keep[parents.get(i)] = true;
            }
        }
        int[] renumbered = new int[n];
        List<Animation.Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            renumbered[i] = -1;
            if (keep[i]) {
                renumbered[i] = nodes.size();
                float[][] trs = restTrs.getOrDefault(i, new float[][]{{0, 0, 0}, {0, 0, 0, 1}, {1, 1, 1}});
                int parent = parents.get(i) < 0 ? -1 : renumbered[parents.get(i)];
                nodes.add(new Animation.Node(parent, locals.get(i), trs[0], trs[1], trs[2]));
            }
        }
        List<AnimationChannel> driven = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            GltfAnimation.Channel c = channels.get(i);
            driven.add(new AnimationChannel(renumbered[channelNodes.get(i)], c.target(), c.interpolation(), c.times(), c.values()));
        }
        List<Animation.MeshBinding> bound = new ArrayList<>();
        for (Animation.MeshBinding m : meshes) {
            bound.add(new Animation.MeshBinding(renumbered[m.node()], m.firstTriangle(), m.localPositions()));
        }
        Animation.CameraBinding cam = camera.node() >= 0 && animated[camera.node()]
                ? new Animation.CameraBinding(renumbered[camera.node()], camera.position(), camera.lookAt(), camera.up())
                : Animation.CameraBinding.NONE;
        return new Animation(frameRate, frameStart, nodes, driven, bound, cam);
    }
}
