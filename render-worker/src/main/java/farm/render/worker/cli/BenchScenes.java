package farm.render.worker.cli;

import farm.render.core.scene.Camera;
import farm.render.core.scene.Material;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Scene;
import java.util.List;
import org.joml.Vector3f;
import org.joml.Vector3fc;

/** Scenes generated in code for the benchmark and for large-scene tests: same arguments, same scene. */
public final class BenchScenes {
    private BenchScenes() {
    }

    /**
     * A 3 × 3 grid of UV spheres on a floor under a square ceiling light, with at least
     * {@code minTriangles} triangles; diffuse, rough metal and glossy plastic spheres.
     */
    public static Scene sphereGrid(int minTriangles) {
        int perSphere = Math.max(32, (minTriangles + 8) / 9);
        // A UV sphere of r rings and 2r segments has 4r² triangles.
        int rings = (int) Math.ceil(Math.sqrt(perSphere / 4.0));
        int segments = 2 * rings;
        int sphereTriangles = rings * segments * 2;
        float[] p = new float[(9 * sphereTriangles + 4) * 9];
        int[] ids = new int[9 * sphereTriangles + 4];
        int o = 0;
        int t = 0;
        for (int i = 0; i < 9; i++) {
            float cx = (i % 3 - 1) * 1.1f;
            float cz = (i / 3 - 1) * 1.1f;
            o = sphere(p, o, cx, 0.5f, cz, 0.5f, rings, segments);
            for (int k = 0; k < sphereTriangles; k++) {
                ids[t++] = 1 + i % 3;
            }
        }
        o = quad(p, o, new Vector3f(-3, 0, -3), new Vector3f(-3, 0, 3), new Vector3f(3, 0, 3), new Vector3f(3, 0, -3));
        ids[t++] = 0;
        ids[t++] = 0;
        quad(p, o, new Vector3f(-1, 3, -1), new Vector3f(1, 3, -1), new Vector3f(1, 3, 1), new Vector3f(-1, 3, 1));
        ids[t++] = 4;
        ids[t] = 4;
        List<Material> materials = List.of(
                new Material("floor", new Rgb(0.6f, 0.6f, 0.6f), Rgb.BLACK),
                new Material("diffuse", new Rgb(0.7f, 0.2f, 0.2f), Rgb.BLACK, 0f, 1f, 1f, false),
                new Material("metal", new Rgb(0.9f, 0.7f, 0.4f), Rgb.BLACK, 1f, 0.3f, 1f, false),
                new Material("plastic", new Rgb(0.2f, 0.3f, 0.7f), Rgb.BLACK, 0f, 0.2f, 1f, false),
                new Material("light", new Rgb(0.8f, 0.8f, 0.8f), new Rgb(8, 8, 8)));
        Camera camera = new Camera(new Vector3f(0, 2.2f, 4.2f), new Vector3f(0, -0.45f, -1), new Vector3f(0, 1, 0), (float) Math.toRadians(40));
        return new Scene(camera, materials, p, ids, List.of(), List.of(), new Rgb(0.05f, 0.05f, 0.08f));
    }

    private static int sphere(float[] p, int o, float cx, float cy, float cz, float r, int rings, int segments) {
        for (int i = 0; i < rings; i++) {
            for (int j = 0; j < segments; j++) {
                float[][] q = new float[4][];
                for (int k = 0; k < 4; k++) {
                    double theta = Math.PI * (i + (k >> 1)) / rings;
                    double phi = 2 * Math.PI * (j + ((k ^ (k >> 1)) & 1)) / segments;
                    q[k] = new float[] {cx + (float) (r * Math.sin(theta) * Math.cos(phi)),
                            cy + (float) (r * Math.cos(theta)), cz - (float) (r * Math.sin(theta) * Math.sin(phi))};
                }
                // Wound counter-clockwise seen from outside, so geometric normals point outwards.
                for (int v : new int[] {0, 2, 1, 0, 3, 2}) {
                    System.arraycopy(q[v], 0, p, o, 3);
                    o += 3;
                }
            }
        }
        return o;
    }

    private static int quad(float[] p, int o, Vector3fc a, Vector3fc b, Vector3fc c, Vector3fc d) {
        for (Vector3fc v : new Vector3fc[] {a, b, c, a, c, d}) {
            p[o++] = v.x();
            p[o++] = v.y();
            p[o++] = v.z();
        }
        return o;
    }
}
