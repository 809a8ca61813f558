package farm.render.worker.render;

import farm.render.core.scene.Scene;
import farm.render.core.scene.Shading;
import java.util.Arrays;

/**
 * The shared vertices of a scene's triangle corners, found in the order corners are asked for: two corners are one
 * vertex when their position and every shading attribute the scene has are the same bits. Reads the scene's own
 * per-corner arrays, so it holds no copy of them: a hash table of vertex numbers and each vertex's first corner.
 */
final class CornerVertices {
    /** Per attribute array: the scene's positions, normals, tangents, UV sets (absent ones empty), and floats per corner. */
    private final float[][] arrays;
    private final int[] widths = {3, 3, 4, 2, 2};
    private int[] table;
    private int[] firsts;
    private int count;

    CornerVertices(Scene scene) {
        Shading s = scene.shading();
        arrays = new float[][] {scene.positions(), s.normals(), s.tangents(), s.uv0(), s.uv1()};
        int corners = scene.triangleCount() * 3;
        // smooth meshes share a vertex between about six corners; the tables grow when they do not
        int expected = Math.max(16, corners / 4);
        table = new int[Integer.highestOneBit(expected) * 4];
        Arrays.fill(table, -1);
        firsts = new int[expected];
    }

    /** The vertex of corner {@code corner} (triangle * 3 + k), numbered from 0 in order of first use. */
    int vertexOf(int corner) {
        int slot = find(table, corner);
        if (table[slot] >= 0) {
            return table[slot];
        }
        if (count == firsts.length) {
            firsts = Arrays.copyOf(firsts, count * 2);
        }
        firsts[count] = corner;
        table[slot] = count;
        count++;
        if (count * 2 > table.length) {
            int[] grown = new int[table.length * 2];
            Arrays.fill(grown, -1);
            for (int v = 0; v < count; v++) {
                grown[find(grown, firsts[v])] = v;
            }
            table = grown;
        }
        return count - 1;
    }

    int count() {
        return count;
    }

    /** The first corner of vertex {@code v}: where its position and attributes are read. */
    int corner(int v) {
        return firsts[v];
    }

    /** The slot of the corner's vertex in {@code slots}: where it is, or the empty slot where it goes. */
    private int find(int[] slots, int corner) {
        int h = 0x9E3779B9;
        for (int a = 0; a < arrays.length; a++) {
            if (arrays[a].length > 0) {
                for (int k = corner * widths[a], end = k + widths[a]; k < end; k++) {
                    h = (h ^ Float.floatToRawIntBits(arrays[a][k])) * 0x01000193;
                    h ^= h >>> 15;
                }
            }
        }
        int mask = slots.length - 1;
        int slot = h & mask;
        while (slots[slot] >= 0 && !same(firsts[slots[slot]], corner)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private boolean same(int a, int b) {
        for (int i = 0; i < arrays.length; i++) {
            int w = widths[i];
            if (arrays[i].length > 0
                    && Arrays.mismatch(arrays[i], a * w, a * w + w, arrays[i], b * w, b * w + w) >= 0) {
                return false;
            }
        }
        return true;
    }
}
