package farm.render.core.scene;

import farm.render.core.bvh.Bvh;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.joml.Vector3f;
import org.joml.Vector3fc;

/**
 * The canonical scene package: the one byte format every worker and the verifier render. Encoding
 * is deterministic (same scene, same bytes, same digest), little-endian, and versioned by
 * {@link #FORMAT_VERSION}; a reader refuses versions it does not know.
 *
 * <pre>
 * "RFSCENE\0"  int version
 * camera       position(3f) forward(3f) up(3f) yfov(f)
 * int m        m × { int nameLength, utf8 name, baseColor(3f), emission(3f), metallic(f), roughness(f),
 *                    specular(f), int flags (bit 0: double-sided), specularColor(3f), ior(f), opacity(f),
 *                    alphaCutoff(f), 4 × slot { int texture, int texCoord, offset(2f), rotation(f), scale(2f),
 *                    strength(f) } (base colour, metallic-roughness, normal, emissive) }
 * int t        t × 9 floats positions, t × int material index
 * int l        l × { int kind, position(3f), direction(3f), intensity(3f), innerCone(f), outerCone(f) }
 * environment  radiance(3f)
 * int n        n × 6 floats node bounds, n × 2 ints node links, t × int triangle order   (the BVH)
 * int u        u × { int length, utf8 text }   unsupported source features
 * int s        shading bits (0 normals, 1 tangents, 2 uv0, 3 uv1), then each present array in that order
 *              (t × 9, t × 12, t × 6, t × 6 floats)
 * int x        x × { int width, int height, int wrapS, int wrapT, int nearest, width × height × 4 bytes RGBA8 }
 * environment map: int width, int height, width × height × 3 floats (0 × 0: none)
 * animation    frameRate(f) int frameStart
 *              int n  n × { int parent, rest matrix(16f, row-major), translation(3f), rotation(4f xyzw), scale(3f) }
 *              int c  c × { int node, int target, int interpolation, int keys, keys × f times, values(f) }
 *              int b  b × { int node, int firstTriangle, int count, count × 9 floats node-space positions }
 *              int cameraNode (-1: the camera does not move), position(3f) lookAt(3f) up(3f)   (node space)
 * </pre>
 */
public final class ScenePackage {
    public static final int FORMAT_VERSION = 3;
    public static final int MAX_TEXTURES = 4096;
    /** Decoded texels of all textures together: what one storage buffer of a worker holds. */
    public static final long MAX_TEXTURE_BYTES = 512L << 20;
    public static final int MAX_LIGHTS = 4096;
    public static final int MAX_TRIANGLES = 20_000_000;
    public static final int MAX_MATERIALS = 65_536;
    private static final byte[] MAGIC = "RFSCENE\0".getBytes(StandardCharsets.US_ASCII);
    public static final int MAX_ANIMATION_NODES = 65_536;
    public static final int MAX_ANIMATION_KEYS = 1_000_000;
    private static final int MAX_STRING = 4096;

    private ScenePackage() {
    }

    public static byte[] encode(Scene scene) {
        Bvh bvh = scene.bvh();
        int size = MAGIC.length + 4 + 40 + 4 + 4 + scene.positions().length * 4 + scene.materialIds().length * 4 + 4
                + 4 + scene.lights().size() * 48 + 12 + 4 + bvh.bounds().length * 4 + bvh.links().length * 4
                + bvh.primitives().length * 4;
        for (Material m : scene.materials()) {
            size += 4 + utf8(m.name()).length + 40 + 24 + 4 * 32;
        }
        for (String u : scene.unsupported()) {
            size += 4 + utf8(u).length;
        }
        size += animationSize(scene.animation());
        Shading sh = scene.shading();
        long total = (long) size + 4 + 4L * (sh.normals().length + sh.tangents().length + sh.uv0().length + sh.uv1().length) + 4
                + 8 + 4L * scene.environmentMap().rgb().length;
        for (Texture t : scene.textures()) {
            total += 20 + t.rgba().length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the scene package would exceed 2 GiB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(FORMAT_VERSION);
        Camera c = scene.camera();
        putVec(out, c.position());
        putVec(out, c.forward());
        putVec(out, c.up());
        out.putFloat(c.verticalFovRadians());
        out.putInt(scene.materials().size());
        for (Material m : scene.materials()) {
            putString(out, m.name());
            putRgb(out, m.baseColor());
            putRgb(out, m.emission());
            out.putFloat(m.metallic()).putFloat(m.roughness()).putFloat(m.specular()).putInt(m.doubleSided() ? 1 : 0);
            putRgb(out, m.specularColor());
            out.putFloat(m.ior()).putFloat(m.opacity()).putFloat(m.alphaCutoff());
            for (TextureSlot t : m.textures().slots()) {
                out.putInt(t.texture()).putInt(t.texCoord()).putFloat(t.offsetX()).putFloat(t.offsetY())
                        .putFloat(t.rotation()).putFloat(t.scaleX()).putFloat(t.scaleY()).putFloat(t.strength());
            }
        }
        out.putInt(scene.triangleCount());
        for (float f : scene.positions()) {
            out.putFloat(f);
        }
        for (int id : scene.materialIds()) {
            out.putInt(id);
        }
        out.putInt(scene.lights().size());
        for (PunctualLight l : scene.lights()) {
            out.putInt(l.kind().ordinal());
            putVec(out, l.position());
            putVec(out, l.direction());
            putRgb(out, l.intensity());
            out.putFloat(l.innerCone()).putFloat(l.outerCone());
        }
        putRgb(out, scene.environment());
        out.putInt(bvh.nodeCount());
        for (float f : bvh.bounds()) {
            out.putFloat(f);
        }
        for (int v : bvh.links()) {
            out.putInt(v);
        }
        for (int v : bvh.primitives()) {
            out.putInt(v);
        }
        out.putInt(scene.unsupported().size());
        for (String u : scene.unsupported()) {
            putString(out, u);
        }
        float[][] arrays = {sh.normals(), sh.tangents(), sh.uv0(), sh.uv1()};
        int bits = 0;
        for (int i = 0; i < arrays.length; i++) {
            bits |= arrays[i].length > 0 ? 1 << i : 0;
        }
        out.putInt(bits);
        for (float[] a : arrays) {
            for (float f : a) {
                out.putFloat(f);
            }
        }
        out.putInt(scene.textures().size());
        for (Texture t : scene.textures()) {
            out.putInt(t.width()).putInt(t.height()).putInt(t.wrapS().ordinal()).putInt(t.wrapT().ordinal())
                    .putInt(t.nearest() ? 1 : 0).put(t.rgba());
        }
        EnvironmentMap env = scene.environmentMap();
        out.putInt(env.width()).putInt(env.height());
        for (float f : env.rgb()) {
            out.putFloat(f);
        }
        putAnimation(out, scene.animation());
        if (out.hasRemaining()) {
            throw new IllegalStateException("scene package size miscounted by " + out.remaining() + " bytes");
        }
        return out.array();
    }

    public static Scene decode(byte[] bytes) throws InvalidSceneException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new InvalidSceneException("not a scene package (bad magic)");
            }
            int version = in.getInt();
            if (version != FORMAT_VERSION) {
                throw new InvalidSceneException("scene package version " + version + " is not supported (this build reads "
                        + FORMAT_VERSION + ")");
            }
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
            if (triangles < 1 || triangles > MAX_TRIANGLES || (long) triangles * 40 > in.remaining()) {
                throw new InvalidSceneException("triangle count " + triangles + " out of range");
            }
            float[] positions = new float[triangles * 9];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = in.getFloat();
            }
            int[] ids = new int[triangles];
            for (int i = 0; i < triangles; i++) {
                ids[i] = in.getInt();
                if (ids[i] < 0 || ids[i] >= materialCount) {
                    throw new InvalidSceneException("triangle " + i + " names material " + ids[i] + " of " + materialCount);
                }
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
            int nodes = in.getInt();
            if (nodes < 0 || nodes > 2 * triangles || (long) nodes * 32 + triangles * 4L > in.remaining()) {
                throw new InvalidSceneException("hierarchy node count " + nodes + " out of range");
            }
            float[] bounds = new float[nodes * 6];
            for (int i = 0; i < bounds.length; i++) {
                bounds[i] = in.getFloat();
            }
            int[] links = new int[nodes * 2];
            for (int i = 0; i < links.length; i++) {
                links[i] = in.getInt();
            }
            int[] order = new int[triangles];
            for (int i = 0; i < triangles; i++) {
                order[i] = in.getInt();
            }
            Bvh bvh = new Bvh(bounds, links, order);
            String problem = bvh.validate(triangles);
            if (problem != null) {
                throw new InvalidSceneException("invalid hierarchy: " + problem);
            }
            int unsupportedCount = in.getInt();
            if (unsupportedCount < 0 || unsupportedCount > 1024) {
                throw new InvalidSceneException("unsupported feature count " + unsupportedCount + " out of range");
            }
            List<String> unsupported = new ArrayList<>();
            for (int i = 0; i < unsupportedCount; i++) {
                unsupported.add(getString(in));
            }
            int bits = in.getInt();
            int[] perTriangle = {9, 12, 6, 6};
            float[][] arrays = new float[4][];
            for (int k = 0; k < 4; k++) {
                long count = (bits & (1 << k)) != 0 ? (long) triangles * perTriangle[k] : 0;
                if (count * 4 > in.remaining()) {
                    throw new InvalidSceneException("shading attributes are truncated");
                }
                arrays[k] = new float[(int) count];
                for (int i = 0; i < count; i++) {
                    arrays[k][i] = in.getFloat();
                }
            }
            Shading shading = new Shading(arrays[0], arrays[1], arrays[2], arrays[3]);
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
            if (in.hasRemaining()) {
                throw new InvalidSceneException(in.remaining() + " trailing bytes after the scene package");
            }
            try {
                return new Scene(camera, materials, positions, ids, unsupported, lights, environment, bvh, animation, textures,
                        shading, environmentMap);
            } catch (IllegalArgumentException e) {
                throw new InvalidSceneException("invalid scene: " + e.getMessage());
            }
        } catch (BufferUnderflowException e) {
            throw new InvalidSceneException("scene package is truncated");
        }
    }

    private static int animationSize(Animation a) {
        // rate, start, node count, nodes, channel count, mesh count, camera node and its three vectors
        int size = 4 + 4 + 4 + a.nodes().size() * (4 + 26 * 4) + 4 + 4 + 4 + 36;
        for (AnimationChannel c : a.channels()) {
            size += 16 + c.times().length * 4 + c.values().length * 4;
        }
        for (Animation.MeshBinding m : a.meshes()) {
            size += 12 + m.localPositions().length * 4;
        }
        return size;
    }

    private static void putAnimation(ByteBuffer out, Animation a) {
        out.putFloat(a.frameRate()).putInt(a.frameStart());
        out.putInt(a.nodes().size());
        for (Animation.Node n : a.nodes()) {
            out.putInt(n.parent());
            putFloats(out, n.restMatrix());
            putFloats(out, n.translation());
            putFloats(out, n.rotation());
            putFloats(out, n.scale());
        }
        out.putInt(a.channels().size());
        for (AnimationChannel c : a.channels()) {
            out.putInt(c.node()).putInt(c.target().ordinal()).putInt(c.interpolation().ordinal()).putInt(c.times().length);
            putFloats(out, c.times());
            putFloats(out, c.values());
        }
        out.putInt(a.meshes().size());
        for (Animation.MeshBinding m : a.meshes()) {
            out.putInt(m.node()).putInt(m.firstTriangle()).putInt(m.triangleCount());
            putFloats(out, m.localPositions());
        }
        Animation.CameraBinding c = a.camera();
        out.putInt(c.node());
        putVec(out, c.position());
        putVec(out, c.lookAt());
        putVec(out, c.up());
    }

    private static Animation getAnimation(ByteBuffer in) throws InvalidSceneException {
        float frameRate = in.getFloat();
        int frameStart = in.getInt();
        int nodeCount = in.getInt();
        if (nodeCount < 0 || nodeCount > MAX_ANIMATION_NODES || (long) nodeCount * 108 > in.remaining()) {
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

    private static void putFloats(ByteBuffer out, float[] values) {
        for (float f : values) {
            out.putFloat(f);
        }
    }

    private static float[] getFloats(ByteBuffer in, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.getFloat();
        }
        return values;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer out, String s) {
        byte[] b = utf8(s);
        out.putInt(b.length).put(b);
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

    private static void putVec(ByteBuffer out, Vector3fc v) {
        out.putFloat(v.x()).putFloat(v.y()).putFloat(v.z());
    }

    private static Vector3f getVec(ByteBuffer in) {
        return new Vector3f(in.getFloat(), in.getFloat(), in.getFloat());
    }

    private static void putRgb(ByteBuffer out, Rgb c) {
        out.putFloat(c.r()).putFloat(c.g()).putFloat(c.b());
    }

    private static Rgb getRgb(ByteBuffer in) {
        return new Rgb(in.getFloat(), in.getFloat(), in.getFloat());
    }

}
