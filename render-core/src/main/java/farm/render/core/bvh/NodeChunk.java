package farm.render.core.bvh;

import java.util.Arrays;

/**
 * The nodes one build task lays out depth first, in local indices, and the subtrees that other tasks
 * built in parallel, each to be inserted right after the node it hangs from. {@link #place} writes the
 * whole tree into the final arrays, so the layout is that of a build on one thread.
 */
final class NodeChunk {
    private float[] bounds;
    private int[] links;
    private int size;
    /** Local slots whose left subtree is another chunk, in increasing order, and those chunks. */
    private int[] forkSlots = new int[4];
    private NodeChunk[] forkChunks = new NodeChunk[4];
    private int forks;
    /** Nodes of this chunk and of the chunks inserted in it, known once every fork is joined. */
    private int total;

    NodeChunk(int capacity) {
        capacity = Math.max(16, capacity);
        bounds = new float[capacity * 6];
        links = new int[capacity * 2];
    }

    /** Appends a node with the six floats of {@code box} from {@code offset} and returns its local slot. */
    int add(float[] box, int offset) {
        if (size == links.length / 2) {
            int capacity = size * 2;
            bounds = Arrays.copyOf(bounds, capacity * 6);
            links = Arrays.copyOf(links, capacity * 2);
        }
        System.arraycopy(box, offset, bounds, size * 6, 6);
        return size++;
    }

    /** The local slot the next node added gets. */
    int next() {
        return size;
    }

    void leaf(int slot, int first, int count) {
        links[slot * 2] = first;
        links[slot * 2 + 1] = count;
    }

    /** Links {@code slot} to its right child: a local slot, or the slot after it when its left subtree is a fork. */
    void interior(int slot, int rightSlot) {
        links[slot * 2] = rightSlot;
        links[slot * 2 + 1] = 0;
    }

    /** The next node added is {@code slot}'s right child; its left subtree comes from {@link #joined}. */
    int fork(int slot) {
        if (forks == forkSlots.length) {
            forkSlots = Arrays.copyOf(forkSlots, forks * 2);
            forkChunks = Arrays.copyOf(forkChunks, forks * 2);
        }
        forkSlots[forks] = slot;
        interior(slot, slot + 1);
        return forks++;
    }

    void joined(int fork, NodeChunk leftSubtree) {
        forkChunks[fork] = leftSubtree;
    }

    /** Counts the nodes of the whole subtree; call once every fork of this chunk is joined. */
    NodeChunk finish() {
        total = size;
        for (int f = 0; f < forks; f++) {
            total += forkChunks[f].total;
        }
        return this;
    }

    int total() {
        return total;
    }

    /** Writes the subtree with its first node at {@code offset}. */
    void place(float[] outBounds, int[] outLinks, int offset) {
        int[] inserted = new int[forks + 1]; // nodes inserted before the slots after fork f
        for (int f = 0; f < forks; f++) {
            inserted[f + 1] = inserted[f] + forkChunks[f].total;
        }
        int f = 0;
        for (int j = 0; j < size; j++) {
            while (f < forks && forkSlots[f] < j) {
                f++;
            }
            int at = offset + j + inserted[f];
            System.arraycopy(bounds, j * 6, outBounds, at * 6, 6);
            if (links[j * 2 + 1] > 0) {
                outLinks[at * 2] = links[j * 2];
                outLinks[at * 2 + 1] = links[j * 2 + 1];
            } else {
                outLinks[at * 2] = finalSlot(links[j * 2], offset, inserted);
                outLinks[at * 2 + 1] = 0;
            }
        }
        for (f = 0; f < forks; f++) {
            forkChunks[f].place(outBounds, outLinks, finalSlot(forkSlots[f], offset, inserted) + 1);
        }
    }

    /** Where local slot {@code j} lands: after every chunk inserted at a slot before it. */
    private int finalSlot(int j, int offset, int[] inserted) {
        int lo = 0;
        int hi = forks;
        while (lo < hi) { // forks with a slot below j
            int mid = (lo + hi) >>> 1;
            if (forkSlots[mid] < j) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return offset + j + inserted[lo];
    }
}
