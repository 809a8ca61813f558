package farm.render.core.scene.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a binary glTF forest under a sun: one tree mesh (a trunk under a lobed crown, an indexed lathe grid
 * with normals) placed by many nodes that share it, each with its own position, turn and scale, the way a
 * modelling tool exports linked duplicates. The file holds the mesh once; a reader that flattens nodes sees
 * instances times its triangles. The same arguments always give the same bytes.
 */
public final class ForestGlb {
    /** Distance between neighbouring trees on the square grid they stand on. */
    private static final float SPACING = 3f;
    private static final float HEIGHT = 2.5f;
    /** The golden angle, so neighbouring trees never face the same way. */
    private static final double TURN = Math.PI * (3 - Math.sqrt(5));

    private ForestGlb() {
    }

    /** What was written: the tree's triangles and the triangles of all its instances. */
    public record Written(long treeTriangles, int instances) {
        public long sceneTriangles() {
            return treeTriangles * instances;
        }
    }

    /** Writes {@code instances} copies of a tree of at least {@code treeTriangles} (rounded to the grid) to {@code file}. */
    public static Written write(Path file, long treeTriangles, int instances) throws IOException {
        if (instances < 1) {
            throw new IllegalArgumentException("a forest needs at least one tree, got " + instances);
        }
        int rings = (int) Math.max(2, Math.ceil(Math.sqrt(treeTriangles / 4.0)));
        int segments = 2 * rings;
        long verts = (long) (rings + 1) * (segments + 1);
        long tris = 2L * rings * segments;
        if (verts * 24 + tris * 12 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(treeTriangles + " triangles do not fit one GLB buffer");
        }
        float[] positions = new float[(int) verts * 3];
        float[] normals = new float[(int) verts * 3];
        float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        lathe(rings, segments, positions, normals, min, max);
        long vertexBytes = verts * 12;
        long indexBytes = tris * 12;
        byte[] json = SphereFieldGlb.pad(json(verts, tris, vertexBytes, indexBytes, instances, min, max), (byte) ' ');
        long binLength = 2 * vertexBytes + indexBytes;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            SphereFieldGlb.writeHead(out, json, binLength);
            writeFloats(out, positions);
            writeFloats(out, normals);
            SphereFieldGlb.writeIndices(out, rings, segments);
        }
        return new Written(tris, instances);
    }

    /**
     * The surface of revolution: a thin trunk up to a third of the height, then a crown with six lobes around.
     * Rows run from the bottom up and turn from +x towards -z, the sphere field's grid upside down, so its winding holds.
     */
    private static void lathe(int rings, int segments, float[] p, float[] n, float[] min, float[] max) {
        double h = 1e-4;
        int v = 0;
        for (int r = 0; r <= rings; r++) {
            double t = (double) r / rings;
            for (int g = 0; g <= segments; g++) {
                double phi = 2 * Math.PI * g / segments;
                double[] at = point(t, phi);
                double[] dt = sub(point(Math.min(1, t + h), phi), point(Math.max(0, t - h), phi));
                double[] dp = sub(point(t, phi + h), point(t, phi - h));
                double[] normal = {dp[1] * dt[2] - dp[2] * dt[1], dp[2] * dt[0] - dp[0] * dt[2], dp[0] * dt[1] - dp[1] * dt[0]};
                double len = Math.sqrt(normal[0] * normal[0] + normal[1] * normal[1] + normal[2] * normal[2]);
                for (int k = 0; k < 3; k++) {
                    p[v + k] = (float) at[k];
                    n[v + k] = len > 0 ? (float) (normal[k] / len) : (k == 1 ? 1f : 0f);
                    min[k] = Math.min(min[k], p[v + k]);
                    max[k] = Math.max(max[k], p[v + k]);
                }
                v += 3;
            }
        }
    }

    private static double[] point(double t, double phi) {
        double radius;
        if (t < 0.3) {
            radius = 0.12 * (1.2 - t);
        } else {
            double c = (t - 0.3) / 0.7;
            radius = 0.02 + 0.9 * Math.sin(Math.PI * c) * (1 - 0.5 * c) * (1 + 0.12 * Math.sin(6 * phi) * Math.sin(3 * Math.PI * c));
        }
        return new double[] {radius * Math.cos(phi), HEIGHT * t, -radius * Math.sin(phi)};
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer chunk = SphereFieldGlb.le(1 << 16);
        for (float value : values) {
            if (!chunk.hasRemaining()) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            chunk.putFloat(value);
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    private static String json(long verts, long tris, long vertexBytes, long indexBytes, int instances, float[] min, float[] max) {
        int side = (int) Math.ceil(Math.sqrt(instances));
        StringBuilder nodes = new StringBuilder();
        StringBuilder roots = new StringBuilder();
        for (int i = 0; i < instances; i++) {
            float x = SPACING * (i % side - (side - 1) / 2f);
            float z = SPACING * (i / side - (side - 1) / 2f);
            double half = TURN * i / 2;
            float scale = 0.8f + 0.4f * ((i * 37) % 11) / 10f;
            nodes.append(String.format(Locale.ROOT,
                    "{\"mesh\":0,\"translation\":[%s,0,%s],\"rotation\":[0,%s,0,%s],\"scale\":[%s,%s,%s]},",
                    x, z, (float) Math.sin(half), (float) Math.cos(half), scale, scale, scale));
            roots.append(i).append(',');
        }
        float extent = SPACING * side;
        double pitch = -0.45;
        nodes.append(String.format(Locale.ROOT, "{\"camera\":0,\"translation\":[0,%s,%s],\"rotation\":[%s,0,0,%s]}",
                0.45f * extent + 3, 0.75f * extent + 4, (float) Math.sin(pitch / 2), (float) Math.cos(pitch / 2)));
        roots.append(instances).append(',').append(instances + 1);
        return "{\"asset\":{\"version\":\"2.0\",\"generator\":\"render-farm forest\"},\"scene\":0," + SphereFieldGlb.SUN
                + "\"scenes\":[{\"nodes\":[" + roots + "]}],\"nodes\":[" + nodes + "," + SphereFieldGlb.SUN_NODE + "],"
                + "\"cameras\":[{\"type\":\"perspective\",\"perspective\":{\"yfov\":0.9,\"znear\":0.1}}],"
                + "\"materials\":[{\"pbrMetallicRoughness\":{\"baseColorFactor\":[0.3,0.6,0.25,1],\"metallicFactor\":0,\"roughnessFactor\":0.8}}],"
                + "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0,\"NORMAL\":1},\"indices\":2,\"material\":0}]}],"
                + "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":" + verts + ",\"type\":\"VEC3\",\"min\":"
                + vec(min) + ",\"max\":" + vec(max) + "},"
                + "{\"bufferView\":1,\"componentType\":5126,\"count\":" + verts + ",\"type\":\"VEC3\"},"
                + "{\"bufferView\":2,\"componentType\":5125,\"count\":" + tris * 3 + ",\"type\":\"SCALAR\"}],"
                + "\"bufferViews\":[" + SphereFieldGlb.view(0, vertexBytes) + "," + SphereFieldGlb.view(vertexBytes, vertexBytes) + ","
                + SphereFieldGlb.view(2 * vertexBytes, indexBytes) + "],"
                + "\"buffers\":[{\"byteLength\":" + (2 * vertexBytes + indexBytes) + "}]}";
    }

    private static String vec(float[] v) {
        return String.format(Locale.ROOT, "[%s,%s,%s]", v[0], v[1], v[2]);
    }

    /** Writes {@code FILE TREE_TRIANGLES INSTANCES}: for benches and hand measurements. */
    public static void main(String[] args) throws IOException {
        Written w = write(Path.of(args[0]), Long.parseLong(args[1].replace("_", "")), Integer.parseInt(args[2]));
        System.out.println(args[0] + ": " + w.instances() + " trees of " + w.treeTriangles() + " triangles, "
                + Files.size(Path.of(args[0])) + " bytes");
    }
}
