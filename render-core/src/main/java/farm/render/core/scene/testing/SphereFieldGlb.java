package farm.render.core.scene.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a binary glTF of about a given number of triangles: ten smooth spheres in a row, each an indexed
 * latitude-longitude grid with normals, the way a modelling tool exports them (about 24 bytes per triangle).
 * Streams to disk, so scenes of any size cost a few buffers; the same count always gives the same bytes.
 */
public final class SphereFieldGlb {
    private static final int SPHERES = 10;
    /** Latitudes stop short of the poles so no triangle is degenerate. */
    private static final double POLE_MARGIN = 0.02 * Math.PI;

    /** A KHR_lights_punctual sun, white, from above and behind the camera; {@link #SUN_NODE} places it. */
    static final String SUN = "\"extensionsUsed\":[\"KHR_lights_punctual\"],\"extensions\":{\"KHR_lights_punctual\":{\"lights\":"
            + "[{\"type\":\"directional\",\"color\":[1,1,1],\"intensity\":3}]}},";
    /** The sun's node: turned 1 radian about x, so it shines down and away from the camera. */
    static final String SUN_NODE = "{\"extensions\":{\"KHR_lights_punctual\":{\"light\":0}},\"rotation\":[-0.4794255,0,0,0.8775826]}";

    private SphereFieldGlb() {
    }

    /** Writes the scene to {@code file} and returns its exact triangle count (at least {@code triangles}, rounded to the grid). */
    public static long write(Path file, long triangles) throws IOException {
        return write(file, triangles, false);
    }

    /** As {@link #write(Path, long)}, with a sun ({@link #SUN}) where {@code sunlit}, so a render has light to sample. */
    public static long write(Path file, long triangles, boolean sunlit) throws IOException {
        int rings = (int) Math.max(2, Math.ceil(Math.sqrt(triangles / (4.0 * SPHERES))));
        int segments = 2 * rings;
        long vertsPerSphere = (long) (rings + 1) * (segments + 1);
        long trisPerSphere = 2L * rings * segments;
        long vertexBytes = vertsPerSphere * SPHERES * 12;
        long indexBytes = trisPerSphere * SPHERES * 3 * 4;
        if (vertexBytes * 2 + indexBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(triangles + " triangles do not fit one GLB buffer");
        }
        byte[] json = pad(json(vertsPerSphere, trisPerSphere, vertexBytes, indexBytes, sunlit), (byte) ' ');
        long binLength = vertexBytes * 2 + indexBytes;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            writeHead(out, json, binLength);
            for (int pass = 0; pass < 2; pass++) {
                for (int s = 0; s < SPHERES; s++) {
                    writeVertices(out, rings, segments, s, pass == 1);
                }
            }
            for (int s = 0; s < SPHERES; s++) {
                writeIndices(out, rings, segments); // each sphere's indices address its own accessors
            }
        }
        return trisPerSphere * SPHERES;
    }

    private static void writeVertices(OutputStream out, int rings, int segments, int sphere, boolean normals) throws IOException {
        ByteBuffer row = le((segments + 1) * 12);
        for (int r = 0; r <= rings; r++) {
            double theta = POLE_MARGIN + (Math.PI - 2 * POLE_MARGIN) * r / rings;
            row.clear();
            for (int g = 0; g <= segments; g++) {
                double phi = 2 * Math.PI * g / segments;
                float x = (float) (Math.sin(theta) * Math.cos(phi));
                float y = (float) Math.cos(theta);
                float z = (float) (Math.sin(theta) * Math.sin(phi));
                if (normals) {
                    row.putFloat(x).putFloat(y).putFloat(z);
                } else {
                    row.putFloat(x + 2.5f * (sphere - (SPHERES - 1) / 2f)).putFloat(y).putFloat(z);
                }
            }
            out.write(row.array(), 0, row.position());
        }
    }

    /** The GLB header, the JSON chunk and the binary chunk's header: what comes before the binary chunk's {@code binLength} bytes. */
    static void writeHead(OutputStream out, byte[] json, long binLength) throws IOException {
        ByteBuffer header = le(20);
        header.putInt(0x46546C67).putInt(2).putInt((int) (12 + 8 + json.length + 8 + binLength));
        header.putInt(json.length).putInt(0x4E4F534A);
        out.write(header.array(), 0, 20);
        out.write(json);
        out.write(le(8).putInt((int) binLength).putInt(0x004E4942).array());
    }

    /**
     * Two triangles per quad of a grid of {@code rings} rows of {@code segments + 1} vertices, counter-clockwise seen from
     * outside (glTF's front faces) where rows go down from the top and each row turns from +x towards +z.
     */
    static void writeIndices(OutputStream out, int rings, int segments) throws IOException {
        ByteBuffer row = le(segments * 24);
        int stride = segments + 1;
        for (int r = 0; r < rings; r++) {
            row.clear();
            for (int g = 0; g < segments; g++) {
                int a = r * stride + g;
                int b = a + stride;
                row.putInt(a).putInt(a + 1).putInt(b);
                row.putInt(a + 1).putInt(b + 1).putInt(b);
            }
            out.write(row.array(), 0, row.position());
        }
    }

    private static String json(long verts, long tris, long vertexBytes, long indexBytes, boolean sunlit) {
        StringBuilder meshes = new StringBuilder();
        StringBuilder nodes = new StringBuilder();
        StringBuilder accessors = new StringBuilder();
        StringBuilder views = new StringBuilder();
        StringBuilder roots = new StringBuilder();
        long sphereVertexBytes = verts * 12;
        for (int s = 0; s < SPHERES; s++) {
            String sep = s == 0 ? "" : ",";
            float x = 2.5f * (s - (SPHERES - 1) / 2f);
            views.append(sep).append(view(s * sphereVertexBytes, sphereVertexBytes)).append(',')
                    .append(view(vertexBytes + s * sphereVertexBytes, sphereVertexBytes)).append(',')
                    .append(view(2 * vertexBytes + s * tris * 12, tris * 12));
            accessors.append(sep)
                    .append("{\"bufferView\":").append(3 * s).append(",\"componentType\":5126,\"count\":").append(verts)
                    .append(",\"type\":\"VEC3\",\"min\":[").append(x - 1).append(",-1,-1],\"max\":[").append(x + 1).append(",1,1]},")
                    .append("{\"bufferView\":").append(3 * s + 1).append(",\"componentType\":5126,\"count\":").append(verts)
                    .append(",\"type\":\"VEC3\"},")
                    .append("{\"bufferView\":").append(3 * s + 2).append(",\"componentType\":5125,\"count\":").append(tris * 3)
                    .append(",\"type\":\"SCALAR\"}");
            meshes.append(sep).append("{\"primitives\":[{\"attributes\":{\"POSITION\":").append(3 * s)
                    .append(",\"NORMAL\":").append(3 * s + 1).append("},\"indices\":").append(3 * s + 2).append(",\"material\":0}]}");
            nodes.append(sep).append("{\"mesh\":").append(s).append('}');
            roots.append(sep).append(s);
        }
        return "{\"asset\":{\"version\":\"2.0\",\"generator\":\"render-farm sphere field\"},\"scene\":0,"
                + "\"scenes\":[{\"nodes\":[" + roots + "," + SPHERES + (sunlit ? "," + (SPHERES + 1) : "") + "]}],"
                + "\"nodes\":[" + nodes + ",{\"camera\":0,\"translation\":[0,1.5,16]}" + (sunlit ? "," + SUN_NODE : "") + "],"
                + (sunlit ? SUN : "")
                + "\"cameras\":[{\"type\":\"perspective\",\"perspective\":{\"yfov\":0.9,\"znear\":0.1}}],"
                + "\"materials\":[{\"pbrMetallicRoughness\":{\"baseColorFactor\":[0.8,0.6,0.4,1],\"metallicFactor\":0,\"roughnessFactor\":0.5}}],"
                + "\"meshes\":[" + meshes + "],\"accessors\":[" + accessors + "],\"bufferViews\":[" + views + "],"
                + "\"buffers\":[{\"byteLength\":" + (2 * vertexBytes + indexBytes) + "}]}";
    }

    static String view(long offset, long length) {
        return "{\"buffer\":0,\"byteOffset\":" + offset + ",\"byteLength\":" + length + "}";
    }

    static byte[] pad(String text, byte filler) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[(raw.length + 3) & ~3];
        System.arraycopy(raw, 0, padded, 0, raw.length);
        java.util.Arrays.fill(padded, raw.length, padded.length, filler);
        return padded;
    }

    static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes {@code FILE TRIANGLES}: for benches and hand measurements. */
    public static void main(String[] args) throws IOException {
        long written = write(Path.of(args[0]), Long.parseLong(args[1].replace("_", "")));
        System.out.println(args[0] + ": " + written + " triangles, " + Files.size(Path.of(args[0])) + " bytes");
    }
}
