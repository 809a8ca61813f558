package farm.render.core.scene;

import farm.render.core.bvh.Bvh;
import farm.render.core.bvh.BvhBuilder;
import java.util.Arrays;
import java.util.List;

/**
 * Meshes stored once and placed many times. A scene's triangles are its flat triangles (world space, under
 * {@link Scene#bvh()}) followed by each instanced mesh's triangles in the mesh's own space; an instance places one
 * mesh with an affine transform. Renderers walk a top-level hierarchy over the instances' world boxes
 * ({@link #topLevel()}) and, inside an instance, the mesh's own hierarchy with the ray taken into mesh space.
 *
 * @param meshes     the instanced meshes, their triangle ranges contiguous and in order after the flat triangles
 * @param meshOf     per instance, the mesh it places
 * @param transforms per instance, twelve floats: the 3×4 mesh-to-world matrix, row-major
 */
public record Instances(List<Mesh> meshes, int[] meshOf, float[] transforms) {
    /** The most instances a scene may place. */
    public static final int MAX_INSTANCES = 1_000_000;
    /** A scene without instanced meshes. */
    public static final Instances NONE = new Instances(List.of(), new int[0], new float[0]);

    /**
     * One instanced mesh.
     *
     * @param firstTriangle its first triangle in the scene's triangle arrays
     * @param triangleCount how many triangles it has
     * @param bvh           the hierarchy over its triangles, numbered from 0 (scene triangle {@code firstTriangle + i})
     */
    public record Mesh(int firstTriangle, int triangleCount, Bvh bvh) {
    }

    public Instances {
        meshes = List.copyOf(meshes);
        if (transforms.length != meshOf.length * 12) {
            throw new IllegalArgumentException("an instance needs twelve transform floats");
        }
    }

    public int count() {
        return meshOf.length;
    }

    public boolean isEmpty() {
        return meshOf.length == 0;
    }

    /** Triangles the instanced meshes store, each once. */
    public int meshTriangles() {
        int n = 0;
        for (Mesh m : meshes) {
            n += m.triangleCount();
        }
        return n;
    }

    /** Triangles the instances place: each instance counts its mesh's triangles. */
    public long placedTriangles() {
        long n = 0;
        for (int m : meshOf) {
            n += meshes.get(m).triangleCount();
        }
        return n;
    }

    /**
     * Null when these instances fit a scene of {@code triangleCount} triangles whose materials are
     * {@code materials} and {@code materialIds}: meshes end-to-end up to the last triangle, each hierarchy valid, every
     * instance naming a mesh with a finite, invertible transform, and no instanced triangle emitting (a light is sampled
     * from the flat triangles' list). Otherwise the reason.
     */
    String problem(int triangleCount, List<Material> materials, int[] materialIds) {
        if (meshOf.length > MAX_INSTANCES) {
            return "the scene places " + meshOf.length + " instances; the limit is " + MAX_INSTANCES;
        }
        int next = triangleCount - meshTriangles();
        if (next < 0) {
            return "instanced meshes hold more triangles than the scene";
        }
        for (int i = 0; i < meshes.size(); i++) {
            Mesh m = meshes.get(i);
            if (m.firstTriangle() != next || m.triangleCount() < 1) {
                return "instanced mesh " + i + " does not follow the triangles before it";
            }
            String bvhProblem = m.bvh().validate(m.triangleCount());
            if (bvhProblem != null) {
                return "instanced mesh " + i + ": " + bvhProblem;
            }
            for (int t = m.firstTriangle(); t < m.firstTriangle() + m.triangleCount(); t++) {
                if (materials.get(materialIds[t]).isEmissive()) {
                    return "instanced mesh " + i + " has an emissive triangle";
                }
            }
            next += m.triangleCount();
        }
        for (int i = 0; i < meshOf.length; i++) {
            if (meshOf[i] < 0 || meshOf[i] >= meshes.size()) {
                return "instance " + i + " names mesh " + meshOf[i] + " of " + meshes.size();
            }
            if (!invertible(transforms, i * 12)) {
                return "instance " + i + " has a transform that is not finite or not invertible";
            }
        }
        return null;
    }

    /** Whether the 3×4 matrix at {@code at} has finite entries and a finite, non-zero determinant. */
    static boolean invertible(float[] m, int at) {
        for (int k = 0; k < 12; k++) {
            if (!Float.isFinite(m[at + k])) {
                return false;
            }
        }
        double det = determinant(m, at);
        return Double.isFinite(det) && Math.abs(det) > 1e-30;
    }

    private static double determinant(float[] m, int at) {
        double a = m[at], b = m[at + 1], c = m[at + 2];
        double d = m[at + 4], e = m[at + 5], f = m[at + 6];
        double g = m[at + 8], h = m[at + 9], k = m[at + 10];
        return a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
    }

    /**
     * Twelve floats: the world-to-mesh 3×4 matrix of instance {@code i}, row-major, inverted in doubles and rounded
     * once, so every renderer takes rays into mesh space with the same numbers.
     */
    public float[] inverse(int i) {
        int at = i * 12;
        float[] m = transforms;
        double a = m[at], b = m[at + 1], c = m[at + 2];
        double d = m[at + 4], e = m[at + 5], f = m[at + 6];
        double g = m[at + 8], h = m[at + 9], k = m[at + 10];
        double det = determinant(m, at);
        double[] r = {
            (e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det,
            (f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det,
            (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det};
        double tx = m[at + 3], ty = m[at + 7], tz = m[at + 11];
        float[] out = new float[12];
        for (int row = 0; row < 3; row++) {
            double x = r[row * 3], y = r[row * 3 + 1], z = r[row * 3 + 2];
            out[row * 4] = (float) x;
            out[row * 4 + 1] = (float) y;
            out[row * 4 + 2] = (float) z;
            out[row * 4 + 3] = (float) -(x * tx + y * ty + z * tz);
        }
        return out;
    }

    /** Six floats, min x y z then max x y z: instance {@code i}'s mesh box (its hierarchy's root) placed in the world. */
    public float[] worldBox(int i) {
        float[] local = meshes.get(meshOf[i]).bvh().bounds();
        float[] m = transforms;
        int at = i * 12;
        float[] box = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int corner = 0; corner < 8; corner++) {
            double x = local[(corner & 1) == 0 ? 0 : 3];
            double y = local[(corner & 2) == 0 ? 1 : 4];
            double z = local[(corner & 4) == 0 ? 2 : 5];
            for (int a = 0; a < 3; a++) {
                double w = m[at + a * 4] * x + m[at + a * 4 + 1] * y + m[at + a * 4 + 2] * z + m[at + a * 4 + 3];
                // Rounded outwards, so the box holds the placed mesh whatever a renderer's transform rounds to.
                box[a] = Math.min(box[a], Math.nextDown((float) w));
                box[3 + a] = Math.max(box[3 + a], Math.nextUp((float) w));
            }
        }
        return box;
    }

    /** The hierarchy over the instances' world boxes, one instance per leaf; {@link Bvh#EMPTY} without instances. */
    public Bvh topLevel() {
        float[] boxes = new float[meshOf.length * 6];
        for (int i = 0; i < meshOf.length; i++) {
            System.arraycopy(worldBox(i), 0, boxes, i * 6, 6);
        }
        return BvhBuilder.overBoxes(boxes, 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instances x && meshes.equals(x.meshes) && Arrays.equals(meshOf, x.meshOf)
                && Arrays.equals(transforms, x.transforms);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * meshes.hashCode() + Arrays.hashCode(meshOf)) + Arrays.hashCode(transforms);
    }

    @Override
    public String toString() {
        return "Instances[" + meshes.size() + " meshes, " + meshOf.length + " instances]";
    }
}
