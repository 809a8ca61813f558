package farm.render.worker.render;

import static org.assertj.core.api.Assertions.assertThat;

import farm.render.core.scene.EnvironmentMap;
import farm.render.core.scene.Material;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Scene;
import farm.render.core.scene.Shading;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedSceneTest {

    /** A grid of quads whose corners are shared, with smooth normals, tangents and UVs given per corner as glTF would. */
    private static Scene grid(int size) {
        int triangles = size * size * 2;
        float[] p = new float[triangles * 9];
        float[] n = new float[triangles * 9];
        float[] t = new float[triangles * 12];
        float[] uv = new float[triangles * 6];
        int[] ids = new int[triangles];
        int corner = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int[][] quad = {{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y}, {x + 1, y + 1}, {x, y + 1}};
                for (int[] q : quad) {
                    float h = (float) Math.sin(q[0] * 0.7) * 0.2f;
                    p[corner * 3] = q[0];
                    p[corner * 3 + 1] = h;
                    p[corner * 3 + 2] = q[1];
                    float[] normal = {-0.14f * (float) Math.cos(q[0] * 0.7), 1, 0};
                    float length = (float) Math.sqrt(normal[0] * normal[0] + 1);
                    n[corner * 3] = normal[0] / length;
                    n[corner * 3 + 1] = normal[1] / length;
                    t[corner * 4] = 1;
                    t[corner * 4 + 3] = q[1] % 2 == 0 ? 1 : -1;
                    uv[corner * 2] = q[0] / (float) size;
                    uv[corner * 2 + 1] = q[1] / (float) size;
                    corner++;
                }
            }
        }
        for (int i = 0; i < triangles; i++) {
            ids[i] = i % 2;
        }
        return new Scene(TestScenes.lookingUp(), List.of(new Material("grey", new Rgb(0.5f, 0.5f, 0.5f), Rgb.BLACK),
                new Material("lamp", new Rgb(0.5f, 0.5f, 0.5f), new Rgb(2, 2, 2))), p, ids, List.of(), List.of(), Rgb.BLACK,
                List.of(), new Shading(n, t, uv, null), EnvironmentMap.NONE);
    }

    @Test
    void sharedCornersAreOneVertexAndTheIndicesGiveBackEveryCornerExactly() {
        Scene scene = grid(12);
        PackedScene packed = PackedScene.of(scene);
        int[] order = scene.bvh().primitives();
        ByteBuffer triangles = packed.triangles();
        ByteBuffer vertices = packed.vertices();
        ByteBuffer shading = packed.shading();
        // a 12 x 12 grid has 13 x 13 points; the bitangent sign splits alternate rows' points in two
        assertThat(vertices.remaining() / PackedGeometry.VERTEX_BYTES).isLessThan(13 * 13 * 2).isGreaterThanOrEqualTo(13 * 13);
        float[] p = scene.positions();
        float[] t = scene.shading().tangents();
        float[] uv = scene.shading().uv0();
        for (int slot = 0; slot < order.length; slot++) {
            int tri = order[slot];
            assertThat(triangles.getInt(slot * 16 + 12)).isEqualTo(scene.materialIds()[tri]);
            for (int c = 0; c < 3; c++) {
                int v = triangles.getInt(slot * 16 + c * 4);
                int corner = tri * 3 + c;
                for (int k = 0; k < 3; k++) {
                    assertThat(vertices.getFloat(v * 16 + k * 4)).isEqualTo(p[corner * 3 + k]);
                }
                assertThat(shading.getFloat(v * 32)).isEqualTo(uv[corner * 2]);
                assertThat(shading.getFloat(v * 32 + 4)).isEqualTo(uv[corner * 2 + 1]);
                assertThat(shading.getFloat(v * 32 + 16 + 12)).isEqualTo(t[corner * 4 + 3]);
            }
        }
        // vertices are numbered in order of first use: the first triangle's corners are new vertices 0, 1, 2
        assertThat(new int[] {triangles.getInt(0), triangles.getInt(4), triangles.getInt(8)}).containsExactly(0, 1, 2);
    }

    @Test
    void theDeviceBytesEstimateIsWhatPackingMakes() {
        for (Scene scene : List.of(grid(9), TestScenes.boxWithCeilingLight(3f), TestScenes.darkBox())) {
            assertThat(PackedScene.deviceBytes(scene)).isEqualTo(PackedScene.of(scene).facts().deviceBytes());
        }
    }

    @Test
    void octahedralNormalsDecodeWithinAHundredthOfADegreeAndTheZeroVectorIsKept() {
        Random random = new Random(3);
        double worst = 0;
        for (int i = 0; i < 20000; i++) {
            float x = (float) random.nextGaussian();
            float y = (float) random.nextGaussian();
            float z = (float) random.nextGaussian();
            int w = OctahedralNormal.encode(x, y, z);
            double[] d = OctahedralNormal.decode((short) w, w >> 16);
            double cos = (d[0] * x + d[1] * y + d[2] * z)
                    / Math.sqrt((d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) * ((double) x * x + (double) y * y + (double) z * z));
            worst = Math.max(worst, Math.toDegrees(Math.acos(Math.min(1, cos))));
        }
        assertThat(worst).isLessThan(0.01);
        assertThat(OctahedralNormal.encode(0, 0, 0)).isEqualTo(OctahedralNormal.ZERO);
        assertThat(OctahedralNormal.encode(0, 0, 1)).isZero();
    }
}
