package farm.render.core.scene;

import static farm.render.core.scene.ScenePackage.ANIMATION_NODE_BYTES;
import static farm.render.core.scene.ScenePackage.FORMAT_VERSION;
import static farm.render.core.scene.ScenePackage.INSTANCED_VERSION;
import static farm.render.core.scene.ScenePackage.MAGIC;
import static farm.render.core.scene.ScenePackage.MAX_ANIMATION_KEYS;
import static farm.render.core.scene.ScenePackage.MAX_ANIMATION_NODES;
import static farm.render.core.scene.ScenePackage.MAX_LIGHTS;
import static farm.render.core.scene.ScenePackage.MAX_MATERIALS;
import static farm.render.core.scene.ScenePackage.MAX_STRING;
import static farm.render.core.scene.ScenePackage.MAX_TEXTURES;
import static farm.render.core.scene.ScenePackage.MAX_TEXTURE_BYTES;
import static farm.render.core.scene.ScenePackage.MAX_TRIANGLES;
import static farm.render.core.scene.ScenePackage.MAX_UNSUPPORTED;
import static farm.render.core.scene.ScenePackage.PER_CORNER_VERSION;

import farm.render.core.bvh.Bvh;
import farm.render.core.bvh.QuantizedBvh;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.joml.Vector3f;

/**
 * Decodes a canonical package and refuses one that is not well formed: every count is checked against its limit and the
 * bytes left before anything is allocated, because the bytes come from another process (the isolated import, storage).
 */
final class ScenePackageReader {
    private ScenePackageReader() {
    }

    static Scene decode(byte[] bytes) throws InvalidSceneException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new InvalidSceneException("not a scene package (bad magic)");
            }
            int version = in.getInt();
            if (version != FORMAT_VERSION && version != PER_CORNER_VERSION && version != INSTANCED_VERSION) {
                throw new InvalidSceneException("scene package version " + version + " is not supported (this build reads "
                        + PER_CORNER_VERSION + " to " + INSTANCED_VERSION + ")");
            }
            boolean indexed = version != PER_CORNER_VERSION;
            Camera camera = new Camera(getVec(in), getVec(in), getVec(in), in.getFloat());
            int materialCount = in.getInt();
            if (materialCount < 1 || materialCount > MAX_MATERIALS) {
                throw new InvalidSceneException("material count " + materialCount + " out of range");
            }
            List<Material> materials = new ArrayList<>(materialCount);
            for (int i = 0; i < materialCount; i++) {
                String name = getString(in);
                Rgb base = getRgb(in);
                Rgb emission = getRgb(in);
                float metallic = in.getFloat();
                float roughness = in.getFloat();
                float specular = in.getFloat();
                boolean doubleSided = (in.getInt() & 1) != 0;
                Rgb specularColor = getRgb(in);
                float ior = in.getFloat();
                float opacity = in.getFloat();
                float cutoff = in.getFloat();
                TextureSlot[] slots = new TextureSlot[4];
                for (int k = 0; k < 4; k++) {
                    slots[k] = new TextureSlot(in.getInt(), in.getInt(), in.getFloat(), in.getFloat(), in.getFloat(),
                            in.getFloat(), in.getFloat(), in.getFloat());
                }
                materials.add(new Material(name, base, emission, metallic, roughness, specular, doubleSided, specularColor,
                        ior, opacity, cutoff, new MaterialTextures(slots[0], slots[1], slots[2], slots[3])));
            }
            int triangles = in.getInt();
            if (triangles < 1 || triangles > MAX_TRIANGLES || (long) triangles * 12 > in.remaining()) {
                throw new InvalidSceneException("triangle count " + triangles + " out of range");
            }
            float[] positions;
            int[] ids;
            Shading indexedShading = null;
            if (indexed) {
                IndexedVertices geometry = getGeometry(in, triangles);
                positions = geometry.positions();
                indexedShading = geometry.shading();
                ids = getMaterialRuns(in, triangles, materialCount);
            } else {
                positions = getFloats(in, checkedCount(in, (long) triangles * 9, "triangle positions"));
                ids = getMaterialIds(in, triangles, materialCount);
            }
            int lightCount = in.getInt();
            if (lightCount < 0 || lightCount > MAX_LIGHTS) {
                throw new InvalidSceneException("light count " + lightCount + " out of range");
            }
            List<PunctualLight> lights = new ArrayList<>(lightCount);
            PunctualLight.Kind[] kinds = PunctualLight.Kind.values();
            for (int i = 0; i < lightCount; i++) {
                int kind = in.getInt();
                if (kind < 0 || kind >= kinds.length) {
                    throw new InvalidSceneException("light " + i + " has unknown kind " + kind);
                }
                lights.add(new PunctualLight(kinds[kind], getVec(in), getVec(in), getRgb(in), in.getFloat(), in.getFloat()));
            }
            Rgb environment = getRgb(in);
            int flat = triangles;
            if (version == INSTANCED_VERSION) {
                flat = in.getInt();
                if (flat < 0 || flat >= triangles) {
                    throw new InvalidSceneException("flat triangle count " + flat + " out of range");
                }
            }
            Bvh bvh = indexed ? getQuantizedBvh(in, flat) : getFullBvh(in, triangles);
            String problem = bvh.validate(flat);
            if (problem != null) {
                throw new InvalidSceneException("invalid hierarchy: " + problem);
            }
            int unsupportedCount = in.getInt();
            if (unsupportedCount < 0 || unsupportedCount > MAX_UNSUPPORTED) {
                throw new InvalidSceneException("unsupported feature count " + unsupportedCount + " out of range");
            }
            List<String> unsupported = new ArrayList<>();
            for (int i = 0; i < unsupportedCount; i++) {
                unsupported.add(getString(in));
            }
            Shading shading = indexedShading != null ? indexedShading : getPerCornerShading(in, triangles);
            String shadingProblem = shading.problem(triangles);
            if (shadingProblem != null) {
                throw new InvalidSceneException(shadingProblem);
            }
            int textureCount = in.getInt();
            if (textureCount < 0 || textureCount > MAX_TEXTURES) {
                throw new InvalidSceneException("texture count " + textureCount + " out of range");
            }
            List<Texture> textures = new ArrayList<>(textureCount);
            long texels = 0;
            Texture.Wrap[] wraps = Texture.Wrap.values();
            for (int i = 0; i < textureCount; i++) {
                int w = in.getInt();
                int h = in.getInt();
                int ws = in.getInt();
                int wt = in.getInt();
                int nearest = in.getInt();
                long size = (long) w * h * 4;
                texels += size;
                if (w < 1 || h < 1 || w > SourceChecks.MAX_IMAGE_SIDE || h > SourceChecks.MAX_IMAGE_SIDE
                        || texels > MAX_TEXTURE_BYTES || size > in.remaining() || ws < 0 || ws >= wraps.length
                        || wt < 0 || wt >= wraps.length) {
                    throw new InvalidSceneException("texture " + i + " (" + w + "x" + h + ") out of range");
                }
                byte[] rgba = new byte[(int) size];
                in.get(rgba);
                textures.add(new Texture(w, h, wraps[ws], wraps[wt], nearest != 0, rgba));
            }
            for (Material m : materials) {
                for (TextureSlot slot : m.textures().slots()) {
                    if (slot.texture() >= textureCount) {
                        throw new InvalidSceneException("material '" + m.name() + "' uses texture " + slot.texture()
                                + " of " + textureCount);
                    }
                }
            }
            int envWidth = in.getInt();
            int envHeight = in.getInt();
            if (envWidth < 0 || envHeight < 0 || envWidth > EnvironmentMap.MAX_SIDE || envHeight > EnvironmentMap.MAX_SIDE
                    || (long) envWidth * envHeight * 12 > in.remaining()) {
                throw new InvalidSceneException("environment map " + envWidth + "x" + envHeight + " out of range");
            }
            float[] envRgb = new float[envWidth * envHeight * 3];
            for (int i = 0; i < envRgb.length; i++) {
                envRgb[i] = in.getFloat();
            }
            EnvironmentMap environmentMap;
            try {
                environmentMap = new EnvironmentMap(envWidth, envHeight, envRgb);
            } catch (IllegalArgumentException e) {
                throw new InvalidSceneException(e.getMessage());
            }
            Animation animation = getAnimation(in);
            Instances instances = version == INSTANCED_VERSION ? getInstances(in, triangles - flat) : Instances.NONE;
            if (in.hasRemaining()) {
                throw new InvalidSceneException(in.remaining() + " trailing bytes after the scene package");
            }
            try {
                return new Scene(camera, materials, positions, ids, unsupported, lights, environment, bvh, animation, textures,
                        shading, environmentMap, instances);
            } catch (IllegalArgumentException e) {
                throw new InvalidSceneException("invalid scene: " + e.getMessage());
            }
        } catch (BufferUnderflowException e) {
            throw new InvalidSceneException("scene package is truncated");
        }
    }

    private static Bvh getQuantizedBvh(ByteBuffer in, int triangles) throws InvalidSceneException {
        try {
            return QuantizedBvh.read(in, triangles);
        } catch (IllegalArgumentException e) {
            throw new InvalidSceneException("invalid hierarchy: " + e.getMessage());
        }
    }

    /** The instance section of format 5: meshes holding the {@code meshTriangles} after the flat ones, then placements. */
    private static Instances getInstances(ByteBuffer in, int meshTriangles) throws InvalidSceneException {
        int meshCount = in.getInt();
        if (meshCount < 1 || meshCount > meshTriangles || (long) meshCount * 8 > in.remaining()) {
            throw new InvalidSceneException("instanced mesh count " + meshCount + " out of range");
        }
        List<Instances.Mesh> meshes = new ArrayList<>(meshCount);
        for (int i = 0; i < meshCount; i++) {
            int first = in.getInt();
            int count = in.getInt();
            if (count < 1 || count > meshTriangles) {
                throw new InvalidSceneException("instanced mesh " + i + " triangle count " + count + " out of range");
            }
            Bvh bvh = getQuantizedBvh(in, count);
            String problem = bvh.validate(count);
            if (problem != null) {
                throw new InvalidSceneException("invalid hierarchy of instanced mesh " + i + ": " + problem);
            }
            meshes.add(new Instances.Mesh(first, count, bvh));
        }
        int count = in.getInt();
        if (count < 1 || count > Instances.MAX_INSTANCES || (long) count * 52 > in.remaining()) {
            throw new InvalidSceneException("instance count " + count + " out of range");
        }
        int[] meshOf = new int[count];
        float[] transforms = new float[count * 12];
        for (int i = 0; i < count; i++) {
            meshOf[i] = in.getInt();
            for (int k = 0; k < 12; k++) {
                transforms[i * 12 + k] = in.getFloat();
            }
        }
        return new Instances(meshes, meshOf, transforms);
    }

    /** The hierarchy of format 3: full-float boxes and both links of every node, then the triangle order. */
    private static Bvh getFullBvh(ByteBuffer in, int triangles) throws InvalidSceneException {
        int nodes = in.getInt();
        if (nodes < 0 || nodes > 2 * triangles || (long) nodes * 32 + triangles * 4L > in.remaining()) {
            throw new InvalidSceneException("hierarchy node count " + nodes + " out of range");
        }
        return new Bvh(getFloats(in, nodes * 6), getInts(in, nodes * 2), getInts(in, triangles));
    }

    private static int[] getInts(ByteBuffer in, int count) {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.getInt();
        }
        return values;
    }

    /** The vertex table and three indices per triangle (format 4); every count checked against the bytes left. */
    private static IndexedVertices getGeometry(ByteBuffer in, int triangles) throws InvalidSceneException {
        int vertexCount = in.getInt();
        int bits = in.getInt();
        if (bits < 0 || bits > 15) {
            throw new InvalidSceneException("unknown shading attributes " + bits);
        }
        int width = IndexedVertices.width(bits);
        if (vertexCount < 1 || vertexCount > 3 * triangles || (long) vertexCount * width * 4 + triangles * 12L > in.remaining()) {
            throw new InvalidSceneException("vertex count " + vertexCount + " out of range");
        }
        float[] vertices = getFloats(in, vertexCount * width);
        int[] corners = new int[triangles * 3];
        for (int i = 0; i < corners.length; i++) {
            corners[i] = in.getInt();
            if (corners[i] < 0 || corners[i] >= vertexCount) {
                throw new InvalidSceneException("triangle " + i / 3 + " names vertex " + corners[i] + " of " + vertexCount);
            }
        }
        return new IndexedVertices(bits, width, vertices, corners);
    }

    /** Each triangle's material from runs of (count, material) that must cover the triangles exactly (format 4). */
    private static int[] getMaterialRuns(ByteBuffer in, int triangles, int materialCount) throws InvalidSceneException {
        int runs = in.getInt();
        if (runs < 1 || runs > triangles || (long) runs * 8 > in.remaining()) {
            throw new InvalidSceneException("material run count " + runs + " out of range");
        }
        int[] ids = new int[triangles];
        int at = 0;
        for (int r = 0; r < runs; r++) {
            int count = in.getInt();
            int id = in.getInt();
            if (count < 1 || count > triangles - at || id < 0 || id >= materialCount) {
                throw new InvalidSceneException("material run " + r + " (" + count + " × material " + id + ") out of range");
            }
            Arrays.fill(ids, at, at + count, id);
            at += count;
        }
        if (at != triangles) {
            throw new InvalidSceneException("material runs cover " + at + " of " + triangles + " triangles");
        }
        return ids;
    }

    /** One material index per triangle (format 3). */
    private static int[] getMaterialIds(ByteBuffer in, int triangles, int materialCount) throws InvalidSceneException {
        int[] ids = getInts(in, checkedCount(in, triangles, "material indices"));
        for (int i = 0; i < triangles; i++) {
            if (ids[i] < 0 || ids[i] >= materialCount) {
                throw new InvalidSceneException("triangle " + i + " names material " + ids[i] + " of " + materialCount);
            }
        }
        return ids;
    }

    /** The shading section of format 3: each present attribute per corner. */
    private static Shading getPerCornerShading(ByteBuffer in, int triangles) throws InvalidSceneException {
        int bits = in.getInt();
        float[][] arrays = new float[4][];
        for (int k = 0; k < 4; k++) {
            long count = (bits & (1 << k)) != 0 ? (long) triangles * 3 * Shading.CORNER_FLOATS[k] : 0;
            arrays[k] = getFloats(in, checkedCount(in, count, "shading attributes"));
        }
        return new Shading(arrays[0], arrays[1], arrays[2], arrays[3]);
    }

    /** {@code values} four-byte values, when the bytes left hold them. */
    private static int checkedCount(ByteBuffer in, long values, String what) throws InvalidSceneException {
        if (values * 4 > in.remaining()) {
            throw new InvalidSceneException(what + " are truncated");
        }
        return (int) values;
    }

    private static Animation getAnimation(ByteBuffer in) throws InvalidSceneException {
        float frameRate = in.getFloat();
        int frameStart = in.getInt();
        int nodeCount = in.getInt();
        if (nodeCount < 0 || nodeCount > MAX_ANIMATION_NODES || (long) nodeCount * ANIMATION_NODE_BYTES > in.remaining()) {
            throw new InvalidSceneException("animation node count " + nodeCount + " out of range");
        }
        try {
            List<Animation.Node> nodes = new ArrayList<>(nodeCount);
            for (int i = 0; i < nodeCount; i++) {
                nodes.add(new Animation.Node(in.getInt(), getFloats(in, 16), getFloats(in, 3), getFloats(in, 4), getFloats(in, 3)));
            }
            int channelCount = in.getInt();
            if (channelCount < 0 || channelCount > 3 * nodeCount) {
                throw new InvalidSceneException("animation channel count " + channelCount + " out of range");
            }
            List<AnimationChannel> channels = new ArrayList<>(channelCount);
            AnimationChannel.Target[] targets = AnimationChannel.Target.values();
            AnimationChannel.Interpolation[] modes = AnimationChannel.Interpolation.values();
            for (int i = 0; i < channelCount; i++) {
                int node = in.getInt();
                int target = in.getInt();
                int mode = in.getInt();
                int keys = in.getInt();
                if (target < 0 || target >= targets.length || mode < 0 || mode >= modes.length) {
                    throw new InvalidSceneException("animation channel " + i + " has an unknown target or interpolation");
                }
                int perKey = targets[target].components() * (modes[mode] == AnimationChannel.Interpolation.CUBICSPLINE ? 3 : 1);
                if (keys < 1 || keys > MAX_ANIMATION_KEYS || (long) keys * (1 + perKey) * 4 > in.remaining()) {
                    throw new InvalidSceneException("animation channel " + i + " key count " + keys + " out of range");
                }
                channels.add(new AnimationChannel(node, targets[target], modes[mode], getFloats(in, keys), getFloats(in, keys * perKey)));
            }
            int meshCount = in.getInt();
            if (meshCount < 0 || (long) meshCount * 12 > in.remaining()) {
                throw new InvalidSceneException("animated mesh count " + meshCount + " out of range");
            }
            List<Animation.MeshBinding> meshes = new ArrayList<>(meshCount);
            for (int i = 0; i < meshCount; i++) {
                int node = in.getInt();
                int first = in.getInt();
                int count = in.getInt();
                if (count < 1 || count > MAX_TRIANGLES || (long) count * 36 > in.remaining()) {
                    throw new InvalidSceneException("animated mesh " + i + " triangle count " + count + " out of range");
                }
                meshes.add(new Animation.MeshBinding(node, first, getFloats(in, count * 9)));
            }
            Animation.CameraBinding camera = new Animation.CameraBinding(in.getInt(), getVec(in), getVec(in), getVec(in));
            return new Animation(frameRate, frameStart, nodes, channels, meshes, camera);
        } catch (IllegalArgumentException e) {
            throw new InvalidSceneException("invalid animation: " + e.getMessage());
        }
    }

    private static float[] getFloats(ByteBuffer in, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.getFloat();
        }
        return values;
    }

    private static String getString(ByteBuffer in) throws InvalidSceneException {
        int len = in.getInt();
        if (len < 0 || len > MAX_STRING) {
            throw new InvalidSceneException("string of length " + len + " out of range");
        }
        byte[] b = new byte[len];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Vector3f getVec(ByteBuffer in) {
        return new Vector3f(in.getFloat(), in.getFloat(), in.getFloat());
    }

    private static Rgb getRgb(ByteBuffer in) {
        return new Rgb(in.getFloat(), in.getFloat(), in.getFloat());
    }
}
