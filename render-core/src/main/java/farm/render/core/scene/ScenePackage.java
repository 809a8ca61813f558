package farm.render.core.scene;

import farm.render.core.bvh.Bvh;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The canonical scene package: the one byte format every worker and the verifier render. Encoding
 * is deterministic (same scene, same bytes, same digest), little-endian, and versioned by
 * {@link #FORMAT_VERSION}; a reader refuses versions it does not know.
 *
 * <pre>
 * "RFSCENE\0"  int version
 * camera       position(3f) forward(3f) up(3f) yfov(f)
 * int m        m × { int nameLength, utf8 name, baseColor(3f), emission(3f), metallic(f), roughness(f),
 *                    specular(f), int flags (bit 0: double-sided) }
 * int t        t × 9 floats positions, t × int material index
 * int l        l × { int kind, position(3f), direction(3f), intensity(3f), innerCone(f), outerCone(f) }
 * environment  radiance(3f)
 * int n        n × 6 floats node bounds, n × 2 ints node links, t × int triangle order   (the BVH)
 * int u        u × { int length, utf8 text }   unsupported source features
 * </pre>
 */
public final class ScenePackage {
    public static final int FORMAT_VERSION = 2;
    public static final int MAX_LIGHTS = 4096;
    public static final int MAX_TRIANGLES = 20_000_000;
    public static final int MAX_MATERIALS = 65_536;
    private static final byte[] MAGIC = "RFSCENE\0".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_STRING = 4096;

    private ScenePackage() {
    }

    public static byte[] encode(Scene scene) {
        Bvh bvh = scene.bvh();
        int size = MAGIC.length + 4 + 40 + 4 + 4 + scene.positions().length * 4 + scene.materialIds().length * 4 + 4
                + 4 + scene.lights().size() * 48 + 12 + 4 + bvh.bounds().length * 4 + bvh.links().length * 4
                + bvh.primitives().length * 4;
        for (Material m : scene.materials()) {
            size += 4 + utf8(m.name()).length + 40;
        }
        for (String u : scene.unsupported()) {
            size += 4 + utf8(u).length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
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
                materials.add(new Material(getString(in), getRgb(in), getRgb(in), in.getFloat(), in.getFloat(),
                        in.getFloat(), (in.getInt() & 1) != 0));
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
            if (in.hasRemaining()) {
                throw new InvalidSceneException(in.remaining() + " trailing bytes after the scene package");
            }
            return new Scene(camera, materials, positions, ids, unsupported, lights, environment, bvh);
        } catch (BufferUnderflowException e) {
            throw new InvalidSceneException("scene package is truncated");
        }
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

    private static void putVec(ByteBuffer out, Vec3 v) {
        out.putFloat(v.x()).putFloat(v.y()).putFloat(v.z());
    }

    private static Vec3 getVec(ByteBuffer in) {
        return new Vec3(in.getFloat(), in.getFloat(), in.getFloat());
    }

    private static void putRgb(ByteBuffer out, Rgb c) {
        out.putFloat(c.r()).putFloat(c.g()).putFloat(c.b());
    }

    private static Rgb getRgb(ByteBuffer in) {
        return new Rgb(in.getFloat(), in.getFloat(), in.getFloat());
    }

}
