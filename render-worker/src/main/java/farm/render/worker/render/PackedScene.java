package farm.render.worker.render;

import farm.render.core.bvh.Bvh;
import farm.render.core.scene.EnvironmentMap;
import farm.render.core.scene.Instances;
import farm.render.core.scene.Material;
import farm.render.core.scene.Shading;
import farm.render.core.scene.Texture;
import farm.render.core.scene.TextureSlot;
import farm.render.core.scene.PunctualLight;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Scene;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.joml.Vector3d;
import org.joml.Vector3fc;

/**
 * A scene in the byte layout of scene.glsl: the geometry of {@link PackedGeometry} (shared vertices, triangles as
 * three vertex indices and a material id, per-vertex texture coordinates and tangents), materials with their
 * texture slots, the emissive triangles with their area cdf for light sampling, the four-wide hierarchy, the
 * textures' texels, the environment map with its sampling cdfs, and the instance table. Every per-triangle buffer
 * follows one upload order ({@link #uploadOrder}: the flat triangles in their hierarchy's order, then each instanced
 * mesh's in its own hierarchy's order, so every leaf's triangles are contiguous). The node buffer holds the flat tree
 * ({@code nodeCount} nodes), each mesh's tree, then the top level over the instances. Pure Java, so the layout is
 * testable without a device.
 */
record PackedScene(ByteBuffer vertices, ByteBuffer triangles, ByteBuffer materials, ByteBuffer lights,
                   ByteBuffer nodes, ByteBuffer punctual, ByteBuffer shading, ByteBuffer textures, ByteBuffer environment,
                   ByteBuffer instances, int triangleCount, int nodeCount, int lightCount, float totalLightArea,
                   int punctualCount, int features) {
    static final int SCENE_NORMALS = 1;
    static final int SCENE_TANGENTS = 2;
    static final int SCENE_UV0 = 4;
    static final int SCENE_UV1 = 8;
    static final int SCENE_MASKED = 16;
    static final int SCENE_ENVIRONMENT_MAP = 32;
    static final int MATERIAL_BYTES = 192;

    // Shader features the scene uses: the bits of scene.glsl's specialization constant FEATURES. The
    // texture-slot bits follow MaterialTextures.slots()'s order.
    static final int FEATURE_BASE_MAP = 1;
    static final int FEATURE_MASK = 16;
    static final int FEATURE_SHADING_NORMALS = 32;
    static final int FEATURE_ENVIRONMENT_MAP = 64;
    static final int FEATURE_PUNCTUAL = 128;
    static final int FEATURE_AREA_LIGHTS = 256;
    static final int FEATURE_GLOSSY = 512;
    static final int FEATURE_ENVIRONMENT = 1024;
    static final int FEATURE_INSTANCES = 2048;
    /** Every feature: the pipeline that renders any scene. */
    static final int FEATURE_ALL = 4095;
    /** Texels per instance in the instance table: both matrices' rows, then the mesh's first node and slot. */
    static final int INSTANCE_TEXELS = 7;

    /**
     * The scene's buffers in upload order: vertices, triangles, materials, lights, nodes, punctual, shading, textures,
     * environment, instances.
     */
    List<ByteBuffer> buffers() {
        return List.of(vertices, triangles, materials, lights, nodes, punctual, shading, textures, environment, instances);
    }

    /** Scene triangle index of each upload slot: the flat hierarchy's order, then each instanced mesh's. */
    static int[] uploadOrder(Scene scene) {
        int[] flat = scene.bvh().primitives();
        if (scene.instances().isEmpty()) {
            return flat;
        }
        int[] order = new int[scene.triangleCount()];
        System.arraycopy(flat, 0, order, 0, flat.length);
        for (Instances.Mesh m : scene.instances().meshes()) {
            int[] local = m.bvh().primitives();
            for (int k = 0; k < local.length; k++) {
                order[m.firstTriangle() + k] = m.firstTriangle() + local[k];
            }
        }
        return order;
    }

    /** The hierarchies the node buffer holds, in its order: the flat one, each instanced mesh's, the top level. */
    private static List<Bvh> trees(Scene scene) {
        List<Bvh> trees = new ArrayList<>();
        trees.add(scene.bvh());
        for (Instances.Mesh m : scene.instances().meshes()) {
            trees.add(m.bvh());
        }
        trees.add(scene.instances().topLevel());
        return trees;
    }

    /** What the renderer keeps of the scene once its buffers are on the device. */
    SceneFacts facts() {
        long bytes = 0;
        for (ByteBuffer data : buffers()) {
            bytes += data.capacity();
        }
        return new SceneFacts(nodeCount, lightCount, totalLightArea, punctualCount, features, bytes);
    }

    /** Where a scene's large buffers are made: the host's heap, or the device's memory so the host holds no copy. */
    interface Space {
        /** A little-endian buffer of exactly {@code bytes}, position 0; its contents are undefined until written. */
        ByteBuffer allocate(long bytes);
    }

    /** The host's heap. */
    static final Space HEAP = bytes -> ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);

    static PackedScene of(Scene scene) {
        return of(scene, HEAP);
    }

    /**
     * The device bytes {@link #of} would make for {@code scene}, without making them: what a task needs before its
     * scene is uploaded (an emissive triangle of zero area counts although it would be left out).
     */
    static long deviceBytes(Scene scene) {
        int[] order = uploadOrder(scene);
        boolean textured = false;
        for (Material m : scene.materials()) {
            textured |= m.textures().any();
        }
        long bytes = PackedGeometry.deviceBytes(scene, order, textured) + (long) scene.materials().size() * MATERIAL_BYTES
                + scene.emissiveTriangleCount() * 32 + (long) nodeCount(trees(scene)) * WideBvh.NODE_BYTES
                + 32 + scene.lights().size() * 48L + 16L + (long) scene.instances().count() * INSTANCE_TEXELS * 16;
        long texels = 0;
        for (Texture t : scene.textures()) {
            texels += t.rgba().length;
        }
        bytes += scene.textures().isEmpty() ? 16 : SRGB_TABLE_WORDS * 4L + scene.textures().size() * 16L + texels;
        EnvironmentMap map = scene.environmentMap();
        return bytes + (map.present() ? (map.width() * (long) map.height() * 4 + map.height()) * 4 : 16);
    }

    /** The scene packed with its vertices, triangles, per-vertex shading and nodes in buffers from {@code space}. */
    static PackedScene of(Scene scene, Space space) {
        int n = scene.triangleCount();
        int flat = scene.flatTriangleCount();
        float[] p = scene.positions();
        int[] ids = scene.materialIds();
        List<Material> mats = scene.materials();
        int[] order = uploadOrder(scene);

        List<Integer> lightTriangles = new ArrayList<>();
        List<Double> lightAreas = new ArrayList<>();
        List<Vector3d> lightNormals = new ArrayList<>();
        double total = 0;
        for (int slot = 0; slot < n; slot++) {
            int t = order[slot];
            int id = ids[t];
            if (id < 0 || id >= mats.size()) {
                throw new IllegalArgumentException("triangle " + t + " has material " + id
                        + " but the scene has " + mats.size() + " materials");
            }
            int o = t * 9;
            float e1x = p[o + 3] - p[o];
            float e1y = p[o + 4] - p[o + 1];
            float e1z = p[o + 5] - p[o + 2];
            float e2x = p[o + 6] - p[o];
            float e2y = p[o + 7] - p[o + 1];
            float e2z = p[o + 8] - p[o + 2];
            if (slot < flat && mats.get(id).isEmissive() && Double.isFinite(total)) { // instanced meshes never emit
                Vector3d normal = new Vector3d(e1x, e1y, e1z).cross(e2x, e2y, e2z);
                double area = 0.5 * normal.length();
                if (area > 0 && Double.isFinite(area)) {
                    lightTriangles.add(slot);
                    lightAreas.add(area);
                    lightNormals.add(normal.normalize());
                    total += area;
                }
            }
        }

        ByteBuffer materials = le(mats.size() * MATERIAL_BYTES);
        boolean masked = false;
        boolean textured = false;
        int features = 0;
        for (Material m : mats) {
            materials.putFloat(m.baseColor().r()).putFloat(m.baseColor().g()).putFloat(m.baseColor().b()).putFloat(m.metallic());
            materials.putFloat(Math.max(0, m.emission().r())).putFloat(Math.max(0, m.emission().g()))
                    .putFloat(Math.max(0, m.emission().b())).putFloat(m.doubleSided() ? 1 : 0);
            materials.putFloat(m.roughness()).putFloat(m.specular()).putFloat(m.opacity()).putFloat(m.masked() ? m.alphaCutoff() : -1f);
            // KHR_materials_specular: F0 = min(F0(ior) x specularColor, 1) per channel.
            float f0 = m.f0();
            materials.putFloat(Math.min(1f, f0 * m.specularColor().r())).putFloat(Math.min(1f, f0 * m.specularColor().g()))
                    .putFloat(Math.min(1f, f0 * m.specularColor().b())).putFloat(m.textures().normal().strength());
            TextureSlot[] slots = m.textures().slots();
            for (int k = 0; k < slots.length; k++) {
                TextureSlot slot = slots[k];
                if (slot.present()) {
                    features |= FEATURE_BASE_MAP << k;
                }
                float[] t = slot.matrix();
                materials.putFloat(t[0]).putFloat(t[1]).putFloat(t[2]).putFloat(slot.texture());
                materials.putFloat(t[3]).putFloat(t[4]).putFloat(t[5]).putFloat(slot.texCoord());
            }
            if (m.metallic() != 0 || m.specular() != 0) {
                features |= FEATURE_GLOSSY;
            }
            masked |= m.masked();
            textured |= m.textures().any();
        }

        int lightCount = lightTriangles.size();
        ByteBuffer lights = le(lightCount * 32);
        double running = 0;
        for (int i = 0; i < lightCount; i++) {
            running += lightAreas.get(i);
            // The last cdf entry is exactly 1 so every u in [0,1) finds a light.
            float cdf = i == lightCount - 1 ? 1.0f : (float) (running / total);
            lights.putInt(lightTriangles.get(i)).putFloat(cdf).putFloat(lightAreas.get(i).floatValue()).putFloat(0);
            // The unit normal, here in doubles rather than per sample on the device: the same bits everywhere, fewer steps.
            Vector3d normal = lightNormals.get(i);
            lights.putFloat((float) normal.x).putFloat((float) normal.y).putFloat((float) normal.z).putFloat(0);
        }
        Instances placed = scene.instances();
        ByteBuffer nodes;
        int nodeCount;
        ByteBuffer instanceTable;
        if (placed.isEmpty()) {
            WideBvh wide = WideBvh.of(scene.bvh(), space);
            nodes = wide.nodes();
            nodeCount = wide.nodeCount();
            instanceTable = le(16).putInt(nodeCount).putInt(0).putInt(0).putInt(0).flip();
        } else {
            List<Bvh> trees = trees(scene);
            int[] firstNode = new int[trees.size()];
            int totalNodes = 0;
            for (int i = 0; i < trees.size(); i++) {
                firstNode[i] = totalNodes;
                totalNodes += WideBvh.count(trees.get(i));
            }
            nodes = space.allocate((long) totalNodes * WideBvh.NODE_BYTES);
            for (int i = 0; i < trees.size(); i++) {
                int at = firstNode[i] * WideBvh.NODE_BYTES;
                int bytes = (i + 1 < trees.size() ? firstNode[i + 1] : totalNodes) * WideBvh.NODE_BYTES - at;
                ByteBuffer region = nodes.slice(at, bytes).order(ByteOrder.LITTLE_ENDIAN);
                WideBvh.of(trees.get(i), ignored -> region);
            }
            nodes.position(0).limit(totalNodes * WideBvh.NODE_BYTES);
            nodeCount = firstNode[1];
            instanceTable = instanceTable(placed, trees.get(trees.size() - 1), firstNode);
        }
        Shading sh = scene.shading();
        int flags = (sh.normals().length > 0 ? SCENE_NORMALS : 0) | (sh.tangents().length > 0 ? SCENE_TANGENTS : 0)
                | (sh.uv0().length > 0 ? SCENE_UV0 : 0) | (sh.uv1().length > 0 ? SCENE_UV1 : 0) | (masked ? SCENE_MASKED : 0);
        PackedGeometry geometry = PackedGeometry.of(scene, order, textured, space);
        ByteBuffer textures = textures(scene.textures());
        EnvironmentMap map = scene.environmentMap();
        double[] envTotal = new double[1];
        ByteBuffer environmentData = map.present() ? environment(map, envTotal) : le(16);
        if (map.present() && envTotal[0] > 0) {
            flags |= SCENE_ENVIRONMENT_MAP;
        }
        List<PunctualLight> punctualLights = scene.lights();
        ByteBuffer punctual = le(32 + punctualLights.size() * 48);
        Rgb environment = (flags & SCENE_ENVIRONMENT_MAP) != 0 ? Rgb.BLACK : scene.environment();
        punctual.putFloat(Math.max(0, environment.r())).putFloat(Math.max(0, environment.g()))
                .putFloat(Math.max(0, environment.b())).putFloat(0);
        punctual.putInt(flags).putInt(map.width()).putInt(map.height()).putFloat((float) envTotal[0]);
        for (PunctualLight l : punctualLights) {
            Vector3fc d = l.direction();
            punctual.putFloat(l.position().x()).putFloat(l.position().y()).putFloat(l.position().z()).putFloat(l.kind().ordinal());
            punctual.putFloat(d.x()).putFloat(d.y()).putFloat(d.z()).putFloat((float) Math.cos(l.innerCone()));
            punctual.putFloat(Math.max(0, l.intensity().r())).putFloat(Math.max(0, l.intensity().g()))
                    .putFloat(Math.max(0, l.intensity().b())).putFloat((float) Math.cos(l.outerCone()));
        }
        features |= (masked ? FEATURE_MASK : 0) | (sh.normals().length > 0 ? FEATURE_SHADING_NORMALS : 0)
                | ((flags & SCENE_ENVIRONMENT_MAP) != 0 ? FEATURE_ENVIRONMENT_MAP | FEATURE_ENVIRONMENT : 0)
                | (environment.r() > 0 || environment.g() > 0 || environment.b() > 0 ? FEATURE_ENVIRONMENT : 0)
                | (punctualLights.isEmpty() ? 0 : FEATURE_PUNCTUAL) | (lightCount > 0 ? FEATURE_AREA_LIGHTS : 0)
                | (placed.isEmpty() ? 0 : FEATURE_INSTANCES);
        return new PackedScene(geometry.vertices(), geometry.triangles(), materials.flip(), lights.flip(), nodes,
                punctual.flip(), geometry.shading(), textures.flip(), environmentData.flip(), instanceTable, n, nodeCount,
                lightCount, (float) total, punctualLights.size(), features);
    }

    private static int nodeCount(List<Bvh> trees) {
        int n = 0;
        for (Bvh t : trees) {
            n += WideBvh.count(t);
        }
        return n;
    }

    /**
     * The instance table of bvh.glsl: the top level's first node and the instance count, then per instance, in the
     * top level's order (its leaves name entries), the rows of the mesh-to-world and world-to-mesh matrices and the
     * mesh's first node and first upload slot.
     */
    private static ByteBuffer instanceTable(Instances placed, Bvh top, int[] firstNode) {
        ByteBuffer out = le(16 + placed.count() * INSTANCE_TEXELS * 16);
        out.putInt(firstNode[firstNode.length - 1]).putInt(placed.count()).putInt(0).putInt(0);
        float[] m = placed.transforms();
        for (int i : top.primitives()) {
            for (int k = 0; k < 12; k++) {
                out.putFloat(m[i * 12 + k]);
            }
            for (float f : placed.inverse(i)) {
                out.putFloat(f);
            }
            int mesh = placed.meshOf()[i];
            out.putInt(firstNode[1 + mesh]).putInt(placed.meshes().get(mesh).firstTriangle()).putInt(i).putInt(0);
        }
        return out.flip();
    }

    /** Words before the texture headers: the sRGB decoding of each 8-bit value, as float bits. */
    static final int SRGB_TABLE_WORDS = 256;

    /**
     * The sRGB table, four words per texture (first texel, width, height, sampler bits), then every texture's
     * RGBA8 texels. The table holds IEC 61966-2-1's decoding of each byte, rounded once from StrictMath's double:
     * a colour texel decodes by lookup, the same bits on every device and cheaper than a power per channel.
     */
    private static ByteBuffer textures(List<Texture> list) {
        if (list.isEmpty()) {
            return le(16);
        }
        long bytes = SRGB_TABLE_WORDS * 4L + list.size() * 16L;
        for (Texture t : list) {
            bytes += t.rgba().length;
        }
        ByteBuffer out = le(Math.toIntExact(bytes));
        for (int b = 0; b < SRGB_TABLE_WORDS; b++) {
            out.putFloat(srgbToLinear(b));
        }
        long first = SRGB_TABLE_WORDS + list.size() * 4L;
        for (Texture t : list) {
            out.putInt(Math.toIntExact(first)).putInt(t.width()).putInt(t.height())
                    .putInt(t.wrapS().ordinal() | t.wrapT().ordinal() << 2 | (t.nearest() ? 16 : 0));
            first += (long) t.width() * t.height();
        }
        for (Texture t : list) {
            out.put(t.rgba());
        }
        return out;
    }

    /** IEC 61966-2-1 sRGB decoding of the 8-bit value {@code b}. */
    static float srgbToLinear(int b) {
        double c = b / 255.0;
        return (float) (c <= 0.04045 ? c / 12.92 : StrictMath.pow((c + 0.055) / 1.055, 2.4));
    }

    /**
     * The map's RGB texels, then the marginal cdf over rows and each row's conditional cdf, from texel weights
     * luminance x sin(theta) (pbrt-v3 InfiniteAreaLight's Distribution2D, piecewise constant per texel).
     */
    private static ByteBuffer environment(EnvironmentMap map, double[] total) {
        int w = map.width();
        int h = map.height();
        float[] rgb = map.rgb();
        ByteBuffer out = le((w * h * 3 + h + w * h) * 4);
        for (float f : rgb) {
            out.putFloat(f);
        }
        double[] rows = new double[h];
        double[][] conditional = new double[h][w];
        double sum = 0;
        for (int y = 0; y < h; y++) {
            // The same float arithmetic as environmentMapPdf in lights.glsl, so the pdf matches the cdfs.
            float sinTheta = (float) Math.sin(Math.PI * (y + 0.5) / h);
            double running = 0;
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                float luminance = 0.2126f * rgb[o] + 0.7152f * rgb[o + 1] + 0.0722f * rgb[o + 2];
                running += luminance * sinTheta;
                conditional[y][x] = running;
            }
            rows[y] = running;
            sum += running;
        }
        total[0] = sum;
        double running = 0;
        for (int y = 0; y < h; y++) {
            running += rows[y];
            out.putFloat(y == h - 1 ? 1f : (float) (sum > 0 ? running / sum : (y + 1.0) / h));
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.putFloat(x == w - 1 ? 1f : (float) (rows[y] > 0 ? conditional[y][x] / rows[y] : (x + 1.0) / w));
            }
        }
        return out;
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
