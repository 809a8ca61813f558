package farm.render.core.bvh;

import java.util.Arrays;

/**
 * A bounding volume hierarchy over a scene's triangles, flattened depth first in the layout the GPU
 * traverses as is (shaders/bvh.glsl). Node i's left child is i + 1; an interior node stores its right
 * child's index; a leaf stores a range of the triangle order.
 *
 * @param bounds     six floats per node: min x y z, max x y z
 * @param links      two ints per node: (right child, 0) for an interior node, (first, count > 0) for a leaf
 * @param primitives the triangle order: leaf ranges index this array, whose values are scene triangle indices
 */
public record Bvh(float[] bounds, int[] links, int[] primitives) {
    public Bvh {
        if (bounds.length != links.length * 3) {
            throw new IllegalArgumentException("bounds must hold six floats per node");
        }
    }

    public static final Bvh EMPTY = new Bvh(new float[0], new int[0], new int[0]);

    public int nodeCount() {
        return links.length / 2;
    }

    public boolean isLeaf(int node) {
        return links[node * 2 + 1] > 0;
    }

    /**
     * Null when this hierarchy is a valid one over {@code triangleCount} triangles (every triangle in
     * exactly one leaf, children after their parent so traversal ends); otherwise the reason.
     */
    public String validate(int triangleCount) {
        if (primitives.length != triangleCount) {
            return "the hierarchy orders " + primitives.length + " triangles, the scene has " + triangleCount;
        }
        int nodes = nodeCount();
        if (triangleCount == 0) {
            return nodes == 0 ? null : "an empty scene has no hierarchy nodes";
        }
        if (nodes < 1 || nodes > 2 * triangleCount) {
            return "node count " + nodes + " out of range";
        }
        boolean[] seen = new boolean[triangleCount];
        for (int p : primitives) {
            if (p < 0 || p >= triangleCount || seen[p]) {
                return "the triangle order is not a permutation";
            }
            seen[p] = true;
        }
        int covered = 0;
        for (int i = 0; i < nodes; i++) {
            int a = links[2 * i];
            int count = links[2 * i + 1];
            if (count > 0) {
                if (a < 0 || (long) a + count > triangleCount) {
                    return "leaf " + i + " range out of bounds";
                }
                covered += count;
            } else if (count != 0 || i + 1 >= nodes || a <= i + 1 || a >= nodes) {
                return "interior node " + i + " has invalid children";
            }
        }
        for (float f : bounds) {
            if (Float.isNaN(f)) {
                return "node bounds are not numbers";
            }
        }
        return covered == triangleCount ? null : "leaves cover " + covered + " of " + triangleCount + " triangles";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bvh b && Arrays.equals(bounds, b.bounds) && Arrays.equals(links, b.links)
                && Arrays.equals(primitives, b.primitives);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(bounds) + Arrays.hashCode(links)) + Arrays.hashCode(primitives);
    }

    @Override
    public String toString() {
        return "Bvh[" + nodeCount() + " nodes, " + primitives.length + " triangles]";
    }
}
