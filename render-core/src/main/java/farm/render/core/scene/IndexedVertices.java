package farm.render.core.scene;

import java.util.Arrays;

/**
 * A scene's triangle corners as a table of unique vertices and three indices per triangle: the package's geometry.
 * A vertex is a corner's position and, where the scene has them, its normal, tangent and texture coordinates; two corners
 * are one vertex only when every float has the same bits, so expanding the table gives back the scene's arrays exactly.
 * Vertices are numbered in order of first use, so the table is canonical.
 *
 * @param width    floats per vertex: 3, plus 3 for normals, 4 for tangents, 2 for each set of texture coordinates
 * @param vertices {@code width} floats per vertex
 * @param corners  three vertex indices per triangle
 */
record IndexedVertices(int shadingBits, int width, float[] vertices, int[] corners) {

    int vertexCount() {
        return vertices.length / width;
    }

    static int width(int shadingBits) {
        int w = 3;
        for (int k = 0; k < Shading.CORNER_FLOATS.length; k++) {
            w += (shadingBits & (1 << k)) != 0 ? Shading.CORNER_FLOATS[k] : 0;
        }
        return w;
    }

    static IndexedVertices of(float[] positions, Shading shading) {
        float[][] attributes = shading.arrays();
        int bits = 0;
        for (int k = 0; k < attributes.length; k++) {
            bits |= attributes[k].length > 0 ? 1 << k : 0;
        }
        int width = width(bits);
        int cornerCount = positions.length / 3;
        int[] corners = new int[cornerCount];
        int[] tuple = new int[width];
        // smooth meshes share a vertex between about six corners; the tables grow when they do not
        int[] unique = new int[Math.max(16, cornerCount / 4) * width];
        int count = 0;
        int[] slots = emptySlots(Integer.highestOneBit(Math.max(16, cornerCount / 4)) * 2);
        for (int corner = 0; corner < cornerCount; corner++) {
            fill(tuple, positions, attributes, bits, corner);
            int slot = find(slots, unique, width, tuple, 0);
            if (slots[slot] < 0) {
                if ((count + 1) * width > unique.length) {
                    unique = Arrays.copyOf(unique, Math.max(unique.length * 2, (count + 1) * width));
                }
                System.arraycopy(tuple, 0, unique, count * width, width);
                slots[slot] = count++;
                if (count * 2 > slots.length) {
                    slots = emptySlots(slots.length * 2);
                    for (int v = 0; v < count; v++) {
                        slots[find(slots, unique, width, unique, v * width)] = v;
                    }
                    slot = find(slots, unique, width, tuple, 0);
                }
            }
            corners[corner] = slots[slot];
        }
        float[] vertices = new float[count * width];
        for (int i = 0; i < vertices.length; i++) {
            vertices[i] = Float.intBitsToFloat(unique[i]);
        }
        return new IndexedVertices(bits, width, vertices, corners);
    }

    private static void fill(int[] tuple, float[] positions, float[][] attributes, int bits, int corner) {
        int o = 0;
        for (int k = 0; k < 3; k++) {
            tuple[o++] = Float.floatToRawIntBits(positions[corner * 3 + k]);
        }
        for (int a = 0; a < attributes.length; a++) {
            if ((bits & (1 << a)) != 0) {
                int n = Shading.CORNER_FLOATS[a];
                for (int k = 0; k < n; k++) {
                    tuple[o++] = Float.floatToRawIntBits(attributes[a][corner * n + k]);
                }
            }
        }
    }

    private static int[] emptySlots(int size) {
        int[] slots = new int[size];
        Arrays.fill(slots, -1);
        return slots;
    }

    /** The slot of the tuple at {@code key[from..from+width)}: where it is, or the empty slot where it goes. */
    private static int find(int[] slots, int[] unique, int width, int[] key, int from) {
        int h = 0x9E3779B9;
        for (int i = from; i < from + width; i++) {
            h = (h ^ key[i]) * 0x01000193;
            h ^= h >>> 15;
        }
        int mask = slots.length - 1;
        int slot = h & mask;
        while (slots[slot] >= 0 && !Arrays.equals(unique, slots[slot] * width, slots[slot] * width + width, key, from, from + width)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** The corners' positions, three floats per corner, as the scene holds them. */
    float[] positions() {
        float[] out = new float[corners.length * 3];
        for (int c = 0; c < corners.length; c++) {
            System.arraycopy(vertices, corners[c] * width, out, c * 3, 3);
        }
        return out;
    }

    /** The corners' shading attributes, as the scene holds them (empty arrays for those the scene lacks). */
    Shading shading() {
        float[][] out = new float[Shading.CORNER_FLOATS.length][];
        int offset = 3;
        for (int a = 0; a < Shading.CORNER_FLOATS.length; a++) {
            if ((shadingBits & (1 << a)) == 0) {
                out[a] = new float[0];
                continue;
            }
            int n = Shading.CORNER_FLOATS[a];
            out[a] = new float[corners.length * n];
            for (int c = 0; c < corners.length; c++) {
                System.arraycopy(vertices, corners[c] * width + offset, out[a], c * n, n);
            }
            offset += n;
        }
        return new Shading(out[0], out[1], out[2], out[3]);
    }
}
