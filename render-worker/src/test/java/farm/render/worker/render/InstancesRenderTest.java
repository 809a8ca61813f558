package farm.render.worker.render;

import static org.assertj.core.api.Assertions.assertThat;

import farm.render.core.bvh.BvhBuilder;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Animation;
import farm.render.core.scene.EnvironmentMap;
import farm.render.core.scene.Instances;
import farm.render.core.scene.Material;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Scene;
import farm.render.core.scene.ScenePackage;
import farm.render.core.scene.Shading;
import java.util.Arrays;
import java.util.List;
import org.joml.Matrix3f;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mesh placed as instances renders as the same mesh copied into world space: the ray goes into mesh space, normals
 * come out by the inverse transpose, shadows fall the same way. Not bit for bit (the two round differently), but the
 * same image within noise.
 */
class InstancesRenderTest {
    private static final int SIZE = 48;
    @RegisterExtension
    static final OpenRenderer DEVICE = new OpenRenderer();

    /** Three placements: moved and turned, squashed unevenly, and mirrored. */
    private static final Matrix4f[] PLACEMENTS = {
        new Matrix4f().translate(0.3f, 0.75f, 0.3f).rotateXYZ(0.4f, 0.9f, 0.2f).scale(0.12f),
        new Matrix4f().translate(0.7f, 0.7f, 0.35f).rotateY(0.6f).scale(0.2f, 0.08f, 0.14f),
        new Matrix4f().translate(0.5f, 0.8f, 0.7f).rotateZ(0.3f).scale(-0.1f, 0.1f, 0.1f),
    };

    @Test
    void instancesRenderLikeTheirFlattenedCopies() {
        Scene instanced = scene(true);
        Scene flattened = scene(false);
        assertThat(instanced.instances().count()).isEqualTo(3);
        assertThat(instanced.triangleCount()).isLessThan(flattened.triangleCount());
        assertThat(instanced.placedTriangleCount()).isEqualTo(flattened.triangleCount());
        // The worker renders what the package holds: through the canonical bytes, as in the farm.
        Scene decoded = roundTrip(instanced);
        FrameRequest request = new FrameRequest(SIZE, SIZE, 0, 16, 4, 7L);
        TileRect all = new TileRect(0, 0, SIZE, SIZE);
        TileImage a = DEVICE.get().renderTile(decoded, "instanced", request, all);
        TileImage b = DEVICE.get().renderTile(flattened, "flattened", request, all);
        TileImage without = DEVICE.get().renderTile(scene(true, 0), "no-placements", request, all);

        double differing = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            float x = a.rgb()[i];
            float y = b.rgb()[i];
            assertThat(x).isFinite().isGreaterThanOrEqualTo(0f);
            if (Math.abs(x - y) > 0.02f * Math.max(1f, Math.abs(y))) {
                differing++;
            }
        }
        assertThat(differing / a.rgb().length).as("share of channels that differ by more than 2%").isLessThan(0.03);
        assertThat(mean(a)).isCloseTo(mean(b), org.assertj.core.api.Assertions.within(0.01 * mean(b)));
        // The placements are in view: leaving them out changes the picture.
        assertThat(Math.abs(mean(without) - mean(b))).isGreaterThan(0.02 * mean(b));
    }

    @Test
    void theSameInstancedTileTwiceIsBitIdentical() {
        Scene decoded = roundTrip(scene(true));
        FrameRequest request = new FrameRequest(SIZE, SIZE, 0, 4, 4, 3L);
        TileRect rect = new TileRect(8, 8, 24, 24);
        TileImage first = DEVICE.get().renderTile(decoded, "twice", request, rect);
        int[] xy = {8, 8, 20, 20, 31, 31};
        float[] pixels = DEVICE.get().renderPixels(decoded, "twice", request, xy);
        TileImage second = DEVICE.get().renderTile(roundTrip(scene(true)), "twice-again", request, rect);
        assertThat(second.rgb()).containsExactly(first.rgb());
        for (int i = 0; i < 3; i++) {
            assertThat(pixels[i * 3 + 1]).isEqualTo(first.channel(xy[2 * i] - 8, xy[2 * i + 1] - 8, 1));
        }
    }

    private static Scene roundTrip(Scene scene) {
        try {
            return ScenePackage.decode(ScenePackage.encode(scene));
        } catch (farm.render.core.scene.InvalidSceneException e) {
            throw new AssertionError(e);
        }
    }

    private static double mean(TileImage image) {
        double sum = 0;
        for (float v : image.rgb()) {
            sum += v;
        }
        return sum / image.rgb().length;
    }

    private static Scene scene(boolean instanced) {
        return scene(instanced, PLACEMENTS.length);
    }

    /**
     * The lit box looking up, with a smooth sphere (its own normals) placed {@code placements} times: as instances, or
     * copied into world space the way the importer flattens a node (positions by the matrix, normals by its cofactors).
     */
    private static Scene scene(boolean instanced, int placements) {
        TestScenes.Builder box = new TestScenes.Builder();
        box.box(0);
        float lo = 0.35f;
        float hi = 0.65f;
        float y = 0.999f;
        box.quad(new Vector3f(lo, y, lo), new Vector3f(hi, y, lo), new Vector3f(hi, y, hi), new Vector3f(lo, y, hi),
                new Vector3f(0, -1, 0), 1);
        float[] flat = box.positions();
        int[] flatIds = box.ids();
        float[] sphere = sphere(10, 14);
        int sphereTriangles = sphere.length / 9;
        List<Material> materials = List.of(new Material("wall", new Rgb(0.7f, 0.7f, 0.7f), Rgb.BLACK),
                new Material("light", new Rgb(0.5f, 0.5f, 0.5f), new Rgb(10f, 10f, 10f)),
                new Material("ball", new Rgb(0.8f, 0.3f, 0.2f), Rgb.BLACK, 0f, 0.4f, 0.5f, false));
        if (instanced) {
            float[] positions = Arrays.copyOf(flat, flat.length + sphere.length);
            System.arraycopy(sphere, 0, positions, flat.length, sphere.length);
            int[] ids = Arrays.copyOf(flatIds, flatIds.length + sphereTriangles);
            Arrays.fill(ids, flatIds.length, ids.length, 2);
            float[] normals = Arrays.copyOf(flatNormals(flat), positions.length);
            System.arraycopy(sphere, 0, normals, flat.length, sphere.length); // a unit sphere's normal is its position
            int[] meshOf = new int[placements];
            float[] transforms = new float[placements * 12];
            for (int i = 0; i < placements; i++) {
                Matrix4f m = PLACEMENTS[i];
                float[] rows = {m.m00(), m.m10(), m.m20(), m.m30(), m.m01(), m.m11(), m.m21(), m.m31(),
                    m.m02(), m.m12(), m.m22(), m.m32()};
                System.arraycopy(rows, 0, transforms, i * 12, 12);
            }
            Instances instances = placements == 0 ? Instances.NONE : new Instances(
                    List.of(new Instances.Mesh(flatIds.length, sphereTriangles, BvhBuilder.build(sphere))), meshOf, transforms);
            float[] kept = placements == 0 ? flat : positions;
            int[] keptIds = placements == 0 ? flatIds : ids;
            float[] keptNormals = placements == 0 ? flatNormals(flat) : normals;
            return new Scene(TestScenes.lookingUp(), materials, kept, keptIds, List.of(), List.of(), Rgb.BLACK,
                    BvhBuilder.build(flat), Animation.NONE, List.of(),
                    new Shading(keptNormals, new float[0], new float[0], new float[0]), EnvironmentMap.NONE, instances);
        }
        float[] positions = Arrays.copyOf(flat, flat.length + placements * sphere.length);
        float[] normals = Arrays.copyOf(flatNormals(flat), positions.length);
        int[] ids = Arrays.copyOf(flatIds, flatIds.length + placements * sphereTriangles);
        Arrays.fill(ids, flatIds.length, ids.length, 2);
        for (int i = 0; i < placements; i++) {
            Matrix4f m = PLACEMENTS[i];
            Matrix3f cofactors = m.cofactor3x3(new Matrix3f());
            if (m.determinant3x3() < 0) {
                cofactors.scale(-1f);
            }
            int at = flat.length + i * sphere.length;
            for (int k = 0; k < sphere.length; k += 3) {
                Vector3f p = m.transformPosition(sphere[k], sphere[k + 1], sphere[k + 2], new Vector3f());
                positions[at + k] = p.x;
                positions[at + k + 1] = p.y;
                positions[at + k + 2] = p.z;
                Vector3f n = cofactors.transform(sphere[k], sphere[k + 1], sphere[k + 2], new Vector3f()).normalize();
                normals[at + k] = n.x;
                normals[at + k + 1] = n.y;
                normals[at + k + 2] = n.z;
            }
        }
        return new Scene(TestScenes.lookingUp(), materials, positions, ids, List.of(), List.of(), Rgb.BLACK,
                List.of(), new Shading(normals, new float[0], new float[0], new float[0]), EnvironmentMap.NONE);
    }

    /** Per corner, its triangle's unit normal. */
    private static float[] flatNormals(float[] p) {
        float[] n = new float[p.length];
        for (int t = 0; t < p.length; t += 9) {
            Vector3f e1 = new Vector3f(p[t + 3] - p[t], p[t + 4] - p[t + 1], p[t + 5] - p[t + 2]);
            Vector3f e2 = new Vector3f(p[t + 6] - p[t], p[t + 7] - p[t + 1], p[t + 8] - p[t + 2]);
            Vector3f f = e1.cross(e2).normalize();
            for (int c = 0; c < 3; c++) {
                n[t + c * 3] = f.x;
                n[t + c * 3 + 1] = f.y;
                n[t + c * 3 + 2] = f.z;
            }
        }
        return n;
    }

    /** A unit sphere of latitude bands and longitude segments, wound outwards, nine floats per triangle. */
    private static float[] sphere(int bands, int segments) {
        float[] out = new float[bands * segments * 2 * 9];
        int o = 0;
        for (int b = 0; b < bands; b++) {
            for (int s = 0; s < segments; s++) {
                Vector3f a = point(b, s, bands, segments);
                Vector3f c = point(b + 1, s, bands, segments);
                Vector3f d = point(b + 1, s + 1, bands, segments);
                Vector3f e = point(b, s + 1, bands, segments);
                for (Vector3f v : new Vector3f[] {a, c, d, a, d, e}) {
                    out[o++] = v.x;
                    out[o++] = v.y;
                    out[o++] = v.z;
                }
            }
        }
        return out;
    }

    private static Vector3f point(int band, int segment, int bands, int segments) {
        double theta = Math.PI * band / bands;
        double phi = 2 * Math.PI * segment / segments;
        return new Vector3f((float) (Math.sin(theta) * Math.cos(phi)), (float) Math.cos(theta),
                (float) (Math.sin(theta) * Math.sin(phi)));
    }
}
