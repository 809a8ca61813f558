package farm.render.worker.render;

import farm.render.core.bvh.Bvh;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The scene package's binary hierarchy collapsed into a four-wide one in the layout bvh.glsl walks: each
 * node holds its (up to) four children's boxes, so one visit tests four boxes from seven texels and a walk
 * takes about half the steps. A child is named by a word: a leaf's {@code first << LEAF_COUNT_BITS | count}
 * (count 1 to 7), an interior node's {@code index << LEAF_COUNT_BITS}, or 0 for an empty slot (node 0, the
 * root, is nobody's child).
 *
 * <p>A node is seven RGBA32 texels: the four children's min x, max x, min y, max y, min z, max z, then their
 * four words. Collapsing is deterministic: every device walks the same nodes.
 *
 * @param nodes     the nodes, little-endian, {@link #NODE_BYTES} each
 * @param nodeCount how many (0 for a scene without triangles)
 */
record WideBvh(ByteBuffer nodes, int nodeCount) {
    static final int WIDTH = 4;
    static final int NODE_BYTES = 7 * 16;
    static final int LEAF_COUNT_BITS = 3;
    private static final int MAX_LEAF_COUNT = (1 << LEAF_COUNT_BITS) - 1;

    static WideBvh of(Bvh bvh) {
        int binaryNodes = bvh.nodeCount();
        if (binaryNodes == 0) {
            return new WideBvh(ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN), 0);
        }
        int[] links = bvh.links();
        float[] bounds = bvh.bounds();
        // Wide nodes are numbered in the order they are made; each interior binary node whose children go into
        // one wide node gets one. A node's slots: the children of the binary node, each interior child replaced
        // by its own two children.
        int[] wideIndex = new int[binaryNodes];
        Arrays.fill(wideIndex, -1);
        List<int[]> slotsOf = new ArrayList<>();
        Deque<Integer> pending = new ArrayDeque<>();
        wideIndex[0] = 0;
        slotsOf.add(null);
        pending.add(0);
        while (!pending.isEmpty()) {
            int node = pending.poll();
            int[] slots = new int[WIDTH];
            Arrays.fill(slots, -1);
            int used = 0;
            if (bvh.isLeaf(node)) {
                // A hierarchy that is one leaf: a root whose one child is that leaf.
                slots[used++] = node;
            } else {
                for (int child : children(links, node)) {
                    if (bvh.isLeaf(child)) {
                        slots[used++] = child;
                    } else {
                        for (int grandchild : children(links, child)) {
                            slots[used++] = grandchild;
                        }
                    }
                }
            }
            for (int i = 0; i < used; i++) {
                int slot = slots[i];
                if (!bvh.isLeaf(slot) && wideIndex[slot] < 0) {
                    wideIndex[slot] = slotsOf.size();
                    slotsOf.add(null);
                    pending.add(slot);
                }
            }
            slotsOf.set(wideIndex[node], slots);
        }
        int count = slotsOf.size();
        ByteBuffer out = ByteBuffer.allocateDirect(count * NODE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] slots : slotsOf) {
            for (int component = 0; component < 6; component++) {
                // Texel order: min x, max x, min y, max y, min z, max z; bounds holds min xyz then max xyz.
                int offset = (component % 2) * 3 + component / 2;
                for (int slot : slots) {
                    out.putFloat(slot < 0 ? 0f : bounds[slot * 6 + offset]);
                }
            }
            for (int slot : slots) {
                out.putInt(slot < 0 ? 0 : word(bvh, links, slot, wideIndex));
            }
        }
        return new WideBvh(out.flip(), count);
    }

    private static int[] children(int[] links, int node) {
        return new int[] {node + 1, links[node * 2]};
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
