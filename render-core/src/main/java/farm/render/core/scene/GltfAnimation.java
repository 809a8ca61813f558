package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The animation section of a glTF document, read from its JSON and buffers: channels that drive a
 * node's translation, rotation or scale, with their samplers' keys (STEP, LINEAR, CUBICSPLINE), and
 * every node's rest TRS. Assimp's animation keys drop cubic-spline tangents, so the JSON is read here.
 * Only embedded data is read (data URIs and a GLB's binary chunk); the importer refuses external files.
 */
final class GltfAnimation {
    /** A channel as the file states it: the node is a glTF node index. */
    record Channel(int gltfNode, AnimationChannel.Target target, AnimationChannel.Interpolation interpolation, float[] times,
                   float[] values) {
    }

    /** One node of the default scene in depth-first pre-order, with the name Assimp gives it. */
    record TreeNode(int gltfNode, String assimpName, int childCount) {
    }

    private final JsonNode doc;
    private final GltfAccessors accessors;
    private final List<String> unsupported;

    private GltfAnimation(JsonNode doc, byte[] glbBinary, List<String> unsupported) {
        this.doc = doc;
        this.accessors = new GltfAccessors(doc, glbBinary);
        this.unsupported = unsupported;
    }

    /** The channels the file animates nodes with; what cannot be read is named in {@code unsupported} and left out. */
    static List<Channel> channels(JsonNode doc, byte[] glbBinary, List<String> unsupported) {
        return new GltfAnimation(doc, glbBinary, unsupported).readChannels();
    }

    /** The rest translation, rotation (xyzw) and scale of glTF node {@code index}, as the file states them or their defaults. */
    static float[][] restTrs(JsonNode doc, int index) {
        JsonNode node = doc.path("nodes").path(index);
        return new float[][]{floats(node.path("translation"), new float[]{0, 0, 0}),
                floats(node.path("rotation"), new float[]{0, 0, 0, 1}), floats(node.path("scale"), new float[]{1, 1, 1})};
    }

    static boolean hasMatrix(JsonNode doc, int index) {
        return doc.path("nodes").path(index).has("matrix");
    }

    /**
     * The default scene's node tree in depth-first pre-order, as Assimp builds it: a synthetic root when
     * the scene has several root nodes, unnamed nodes named {@code nodes[i]}. Empty when the tree is malformed.
     */
    static List<TreeNode> tree(JsonNode doc) {
        JsonNode scenes = doc.path("scenes");
        JsonNode roots = scenes.path(doc.path("scene").asInt(0)).path("nodes");
        List<TreeNode> out = new ArrayList<>();
        if (!roots.isArray()) {
            return out;
        }
        if (roots.size() != 1) {
            out.add(new TreeNode(-1, "ROOT", roots.size()));
        }
        Set<Integer> seen = new HashSet<>();
        for (JsonNode r : roots) {
            if (!r.canConvertToInt() || !visit(doc, r.asInt(), 0, seen, out)) {
                return List.of();
            }
        }
        return out;
    }

    private static boolean visit(JsonNode doc, int index, int depth, Set<Integer> seen, List<TreeNode> out) {
        JsonNode node = doc.path("nodes").path(index);
        if (depth > 256 || !node.isObject() || !seen.add(index)) {
            return false;
        }
        String name = node.path("name").asText("");
        JsonNode children = node.path("children");
        out.add(new TreeNode(index, name.isEmpty() ? "nodes[" + index + "]" : name, children.isArray() ? children.size() : 0));
        if (children.isArray()) {
            for (JsonNode c : children) {
                if (!c.canConvertToInt() || !visit(doc, c.asInt(), depth + 1, seen, out)) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<Channel> readChannels() {
        List<Channel> channels = new ArrayList<>();
        Set<Long> driven = new HashSet<>();
        JsonNode animations = doc.path("animations");
        for (int a = 0; a < animations.size(); a++) {
            JsonNode animation = animations.get(a);
            String label = "animation " + a + (animation.path("name").asText("").isEmpty() ? "" : " '" + animation.path("name").asText() + "'");
            JsonNode samplers = animation.path("samplers");
            for (JsonNode ch : animation.path("channels")) {
                JsonNode target = ch.path("target");
                String path = target.path("path").asText("");
                if (!target.path("node").canConvertToInt()) {
                    unsupported.add(label + ": a channel without a target node is not animated");
                    continue;
                }
                int node = target.path("node").asInt();
                AnimationChannel.Target t = switch (path) {
                    case "translation" -> AnimationChannel.Target.TRANSLATION;
                    case "rotation" -> AnimationChannel.Target.ROTATION;
                    case "scale" -> AnimationChannel.Target.SCALE;
                    default -> null;
                };
                if (t == null) {
                    unsupported.add(label + ": '" + path + "' channels (e.g. morph target weights) are not animated");
                    continue;
                }
                if (!driven.add((long) node * 8 + t.ordinal())) {
                    unsupported.add(label + ": node " + node + "'s " + path + " is driven twice; the first channel is used");
                    continue;
                }
                try {
                    channels.add(channel(node, t, samplers.path(ch.path("sampler").asInt(-1))));
                } catch (IllegalArgumentException e) {
                    driven.remove((long) node * 8 + t.ordinal());
                    unsupported.add(label + ": node " + node + "'s " + path + " channel is not animated: " + e.getMessage());
                }
            }
        }
        return channels;
    }

    private Channel channel(int node, AnimationChannel.Target target, JsonNode sampler) {
        if (!sampler.isObject()) {
            throw new IllegalArgumentException("its sampler does not exist");
        }
        AnimationChannel.Interpolation interpolation = switch (sampler.path("interpolation").asText("LINEAR")) {
            case "STEP" -> AnimationChannel.Interpolation.STEP;
            case "LINEAR" -> AnimationChannel.Interpolation.LINEAR;
            case "CUBICSPLINE" -> AnimationChannel.Interpolation.CUBICSPLINE;
            default -> throw new IllegalArgumentException("unknown interpolation " + sampler.path("interpolation").asText());
        };
        float[] times = accessors.floats(sampler.path("input").asInt(-1), "SCALAR", 1, ScenePackage.MAX_ANIMATION_KEYS * 3);
        int perKey = target.components() * (interpolation == AnimationChannel.Interpolation.CUBICSPLINE ? 3 : 1);
        float[] values = accessors.floats(sampler.path("output").asInt(-1),
                target == AnimationChannel.Target.ROTATION ? "VEC4" : "VEC3", target.components(), ScenePackage.MAX_ANIMATION_KEYS * 3);
        if (values.length != times.length * perKey) {
            throw new IllegalArgumentException(times.length + " key times but " + values.length / target.components() + " values");
        }
        new AnimationChannel(0, target, interpolation, times, values); // the same checks the package applies
        return new Channel(node, target, interpolation, times, values);
    }

    private static float[] floats(JsonNode array, float[] fallback) {
        if (!array.isArray() || array.size() != fallback.length) {
            return fallback;
        }
        float[] out = new float[fallback.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
            if (!Float.isFinite(out[i])) {
                return fallback;
            }
        }
        return out;
    }
}
