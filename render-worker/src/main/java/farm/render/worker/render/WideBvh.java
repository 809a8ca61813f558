package farm.render.worker.render;

import farm.render.core.bvh.Bvh;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scene package's binary hierarchy collapsed into a four-wide one in the layout bvh.glsl walks: each
 * node holds its (up to) four children's boxes, so one visit tests four boxes and a walk takes about half the
 * steps. A child is named by a word: a leaf's {@code first << LEAF_COUNT_BITS | count} (count 1 to 7), an
 * interior node's {@code index << LEAF_COUNT_BITS}, or 0 for an empty slot (node 0, the root, is nobody's child).
 * Nodes are numbered depth first, so a node's first child follows it and a walk's nodes lie close together.
 *
 * <p>A node is four RGBA32 texels (after Ylitie et al. 2017, "Efficient incoherent ray traversal on GPUs through
 * compressed wide BVHs"): an origin (x y z floats) and per axis a power-of-two scale (its float exponent byte,
 * x in the low byte of w); then each child's box as 8-bit planes, min x, max x, min y, max y, min z, max z, one
 * word each with child k in byte k; then two zero words and the four child words. A plane decodes as
 * {@code origin + q * scale}: the product is exact and the sum rounds once, so every device gets the same float,
 * and the planes are chosen so that float still encloses the child's box.
 *
 * @param nodes     the nodes, little-endian, {@link #NODE_BYTES} each
 * @param nodeCount how many (0 for a scene without triangles)
 */
record WideBvh(ByteBuffer nodes, int nodeCount) {
    static final int WIDTH = 4;
    static final int NODE_BYTES = 4 * 16;
    static final int LEAF_COUNT_BITS = 3;
    private static final int MAX_LEAF_COUNT = (1 << LEAF_COUNT_BITS) - 1;
    /** Where the four child words start in a node. */
    static final int WORDS_OFFSET = 48;

    static WideBvh of(Bvh bvh) {
        return of(bvh, PackedScene.HEAP);
    }

    /** The wide tree of {@code bvh} in a buffer from {@code space}. */
    static WideBvh of(Bvh bvh, PackedScene.Space space) {
        if (bvh.nodeCount() == 0) {
            return new WideBvh(PackedScene.HEAP.allocate(0), 0);
        }
        int[] wideIndex = new int[bvh.nodeCount()];
        List<int[]> slotsOf = collapse(bvh, wideIndex);
        int count = slotsOf.size();
        ByteBuffer out = space.allocate((long) count * NODE_BYTES);
        int[] links = bvh.links();
        float[] bounds = bvh.bounds();
        for (int[] slots : slotsOf) {
            int base = out.position();
            out.putInt(base + 12, 0).putLong(base + 40, 0);
            for (int axis = 0; axis < 3; axis++) {
                quantize(out, base, axis, slots, bounds);
            }
            out.position(base + WORDS_OFFSET);
            for (int slot : slots) {
                out.putInt(slot < 0 ? 0 : word(bvh, links, slot, wideIndex));
            }
        }
        return new WideBvh(out.flip(), count);
    }

    /** How many wide nodes {@code bvh} collapses into. */
    static int count(Bvh bvh) {
        return bvh.nodeCount() == 0 ? 0 : collapse(bvh, new int[bvh.nodeCount()]).size();
    }

    /**
     * Each wide node's four slots (binary nodes, -1 for none), depth first: a node's slots are the children of its
     * binary node, each interior child replaced by its own two children; its interior slots are numbered when reached,
     * first slot first. Fills {@code wideIndex} with the wide number of each binary node that becomes one.
     */
    private static List<int[]> collapse(Bvh bvh, int[] wideIndex) {
        int[] links = bvh.links();
        Arrays.fill(wideIndex, -1);
        List<int[]> slotsOf = new ArrayList<>();
        int[] stack = new int[64];
        int sp = 0;
        stack[sp++] = 0;
        while (sp > 0) {
            int node = stack[--sp];
            wideIndex[node] = slotsOf.size();
            int[] slots = slots(bvh, links, node);
            slotsOf.add(slots);
            for (int i = WIDTH - 1; i >= 0; i--) {
                if (slots[i] >= 0 && !bvh.isLeaf(slots[i])) {
                    if (sp == stack.length) {
                        stack = Arrays.copyOf(stack, sp * 2);
                    }
                    stack[sp++] = slots[i];
                }
            }
        }
        return slotsOf;
    }

    private static int[] slots(Bvh bvh, int[] links, int node) {
        int[] slots = new int[WIDTH];
        Arrays.fill(slots, -1);
        int used = 0;
        if (bvh.isLeaf(node)) {
            // A hierarchy that is one leaf: a root whose one child is that leaf.
            slots[used] = node;
            return slots;
        }
        for (int child : new int[] {node + 1, links[node * 2]}) {
            if (bvh.isLeaf(child)) {
                slots[used++] = child;
            } else {
                slots[used++] = child + 1;
                slots[used++] = links[child * 2];
            }
        }
        return slots;
    }

    /**
     * Writes one axis of the node at {@code base}: its origin (the least child min), the scale exponent, and each
     * child's min and max plane; the smallest scale whose decoded planes enclose every child box.
     */
    private static void quantize(ByteBuffer out, int base, int axis, int[] slots, float[] bounds) {
        float origin = Float.POSITIVE_INFINITY;
        float top = Float.NEGATIVE_INFINITY;
        for (int slot : slots) {
            if (slot >= 0) {
                origin = Math.min(origin, bounds[slot * 6 + axis]);
                top = Math.max(top, bounds[slot * 6 + 3 + axis]);
            }
        }
        double extent = (double) top - origin;
        int exponent = Math.max(1, Math.min(254, 127 + Math.getExponent(Math.max(extent / 255, Float.MIN_NORMAL))));
        int lo = 0;
        int hi = 0;
        for (; ; exponent++) {
            if (exponent > 254) {
                throw new IllegalArgumentException("a hierarchy box spans more than the node layout's planes can: " + extent);
            }
            float scale = Float.intBitsToFloat(exponent << 23);
            lo = 0;
            hi = 0;
            boolean fits = true;
            for (int k = 0; k < WIDTH && fits; k++) {
                int slot = slots[k];
                if (slot < 0) {
                    continue;
                }
                int qLo = plane(origin, scale, bounds[slot * 6 + axis], false);
                int qHi = plane(origin, scale, bounds[slot * 6 + 3 + axis], true);
                fits = qHi <= 255;
                lo |= qLo << (8 * k);
                hi |= qHi << (8 * k);
            }
            if (fits) {
                break;
            }
        }
        out.putFloat(base + 4 * axis, origin);
        out.putInt(base + 12, out.getInt(base + 12) | exponent << (8 * axis));
        out.putInt(base + 16 + 8 * axis, lo);
        out.putInt(base + 20 + 8 * axis, hi);
    }

    /** The 8-bit plane whose decoding is at most (up false) or at least (up true) value; above 255 when none fits. */
    private static int plane(float origin, float scale, float value, boolean up) {
        double exact = ((double) value - origin) / scale;
        int q = (int) Math.max(0, Math.min(256, up ? Math.ceil(exact) : Math.floor(exact)));
        if (up) {
            while (q <= 255 && decode(origin, scale, q) < value) {
                q++;
            }
        } else {
            while (q > 0 && decode(origin, scale, q) > value) {
                q--;
            }
        }
        return q;
    }

    /** A plane as bvh.glsl decodes it: the exact product, then one rounded add. */
    static float decode(float origin, float scale, int q) {
        return origin + q * scale;
    }

    /** Child {@code slot}'s box in node {@code node} as the device decodes it: min x y z, max x y z. */
    static float[] childBox(ByteBuffer nodes, int node, int slot) {
        int base = node * NODE_BYTES;
        float[] box = new float[6];
        for (int axis = 0; axis < 3; axis++) {
            float origin = nodes.getFloat(base + 4 * axis);
            float scale = Float.intBitsToFloat(((nodes.getInt(base + 12) >>> (8 * axis)) & 0xff) << 23);
            box[axis] = decode(origin, scale, (nodes.getInt(base + 16 + 8 * axis) >>> (8 * slot)) & 0xff);
            box[axis + 3] = decode(origin, scale, (nodes.getInt(base + 20 + 8 * axis) >>> (8 * slot)) & 0xff);
        }
        return box;
    }

    private static int word(Bvh bvh, int[] links, int node, int[] wideIndex) {
        if (!bvh.isLeaf(node)) {
            return wideIndex[node] << LEAF_COUNT_BITS;
        }
        int first = links[node * 2];
        int count = links[node * 2 + 1];
        if (count > MAX_LEAF_COUNT || first > (Integer.MAX_VALUE >>> LEAF_COUNT_BITS)) {
            throw new IllegalArgumentException("BVH leaf " + node + " does not fit the node layout: " + count
                    + " triangles from " + first);
        }
        return first << LEAF_COUNT_BITS | count;
    }
}
