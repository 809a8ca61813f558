package farm.render.core.bvh;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.function.Function;

/**
 * Builds a {@link Bvh} with the surface area heuristic over binned centroids (Wald 2007, "On fast
 * Construction of SAH-based Bounding Volume Hierarchies"). Every node's split depends only on the
 * triangles below it, and subtrees own disjoint ranges of the triangle order, so building subtrees
 * in parallel gives the same bytes for any number of threads.
 *
 * <p>One pass over a node's triangles bins them on all three axes at once; the children's boxes are unions
 * of bins and their centroid boxes come out of the partition, exactly the minima and maxima a pass over
 * their triangles would give, so each level costs those two passes. Each task writes its nodes into a
 * {@link NodeChunk}; the chunks are put together in the depth-first layout at the end.
 */
public final class BvhBuilder {
    static final int BINS = 16;
    static final int MAX_LEAF = 4;
    /** Beyond this depth splits fall back to the median, so the GPU's fixed traversal stack suffices. */
    static final int MAX_DEPTH = 48;
    /** Subtrees smaller than this are built on the calling thread; forking costs more than it saves. */
    private static final int PARALLEL_THRESHOLD = 8192;
    /** Relative cost of visiting a node against intersecting one triangle. */
    private static final float TRAVERSAL_COST = 1.0f;
    /** Per level of the recursion: the node's box and centroid box, then its right child's while the left subtree is built. */
    private static final int FRAME = 24;
    private static final float[] EMPTY = SahBins.EMPTY;

    /** Six floats per triangle: min x y z, max x y z; a centroid is (min + max) / 2. */
    private final float[] boxes;
    private final int[] order;

    private BvhBuilder(float[] positions) {
        int n = positions.length / 9;
        boxes = new float[n * 6];
        order = new int[n];
        for (int t = 0; t < n; t++) {
            order[t] = t;
            for (int a = 0; a < 3; a++) {
                float v0 = positions[t * 9 + a];
                float v1 = positions[t * 9 + 3 + a];
                float v2 = positions[t * 9 + 6 + a];
                boxes[t * 6 + a] = Math.min(v0, Math.min(v1, v2));
                boxes[t * 6 + 3 + a] = Math.max(v0, Math.max(v1, v2));
            }
        }
    }

    /** Builds on a pool with a worker per core (the common pool has one fewer); the result is the same for any pool. */
    public static Bvh build(float[] positions) {
        return build(positions, Workers.POOL);
    }

    public static Bvh build(float[] positions, ForkJoinPool pool) {
        return build(positions, pool::invoke);
    }

    /** The default pool, started on first use; its idle workers end. */
    private static final class Workers {
        static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    }

    private static Bvh build(float[] positions, Function<Build, NodeChunk> run) {
        if (positions.length % 9 != 0) {
            throw new IllegalArgumentException("positions must hold nine floats per triangle");
        }
        if (positions.length == 0) {
            return Bvh.EMPTY;
        }
        BvhBuilder builder = new BvhBuilder(positions);
        int n = builder.order.length;
        float[] root = new float[12];
        builder.bounds(0, n, root, 0);
        NodeChunk tree = run.apply(builder.new Build(0, n, 0, root));
        float[] bounds = new float[tree.total() * 6];
        int[] links = new int[tree.total() * 2];
        tree.place(bounds, links, 0);
        return new Bvh(bounds, links, builder.order);
    }

    /** The box and centroid box of the triangles in [begin, end), written at {@code out[offset..offset + 12)}. */
    private void bounds(int begin, int end, float[] out, int offset) {
        System.arraycopy(EMPTY, 0, out, offset, 6);
        System.arraycopy(EMPTY, 0, out, offset + 6, 6);
        for (int i = begin; i < end; i++) {
            int t = order[i] * 6;
            for (int a = 0; a < 3; a++) {
                float lo = boxes[t + a];
                float hi = boxes[t + 3 + a];
                float c = (lo + hi) * 0.5f;
                out[offset + a] = Math.min(out[offset + a], lo);
                out[offset + 3 + a] = Math.max(out[offset + 3 + a], hi);
                out[offset + 6 + a] = Math.min(out[offset + 6 + a], c);
                out[offset + 9 + a] = Math.max(out[offset + 9 + a], c);
            }
        }
    }

    /** One subtree, built depth first on one thread into its own {@link NodeChunk}, forking its large left subtrees. */
    private final class Build extends RecursiveTask<NodeChunk> {
        private final int begin;
        private final int end;
        private final int depth;
        private final float[] rootBounds;
        private float[] frames = new float[FRAME * 16];
        private final SahBins bins = new SahBins();
        private NodeChunk chunk;

        Build(int begin, int end, int depth, float[] rootBounds) {
            this.begin = begin;
            this.end = end;
            this.depth = depth;
            this.rootBounds = rootBounds;
        }

        @Override
        protected NodeChunk compute() {
            chunk = new NodeChunk(Math.min(end - begin, 1024));
            System.arraycopy(rootBounds, 0, frames, 0, 12);
            node(begin, end, 0);
            return chunk.finish();
        }

        /** Builds the subtree over [begin, end) whose box and centroid box are in frame {@code level}. */
        private void node(int begin, int end, int level) {
            if (frames.length < (level + 2) * FRAME) {
                frames = Arrays.copyOf(frames, frames.length * 2);
            }
            int f = level * FRAME;
            int slot = chunk.add(frames, f);
            int count = end - begin;
            int mid = count == 1 ? -1 : split(begin, end, level);
            if (mid < 0) {
                chunk.leaf(slot, begin, count);
                return;
            }
            int child = (level + 1) * FRAME;
            if (mid - begin >= PARALLEL_THRESHOLD && end - mid >= PARALLEL_THRESHOLD) {
                Build left = new Build(begin, mid, depth + level + 1, Arrays.copyOfRange(frames, child, child + 12));
                left.fork();
                int fork = chunk.fork(slot);
                System.arraycopy(frames, f + 12, frames, child, 12);
                node(mid, end, level + 1);
                chunk.joined(fork, left.join());
            } else {
                node(begin, mid, level + 1);
                chunk.interior(slot, chunk.next());
                System.arraycopy(frames, f + 12, frames, child, 12);
                node(mid, end, level + 1);
            }
        }

        /**
         * Partitions [begin, end) and returns the split point, with the children's boxes and centroid boxes
         * in frame {@code level + 1} (left) and the second half of frame {@code level} (right); -1 when a leaf is cheaper.
         */
        private int split(int begin, int end, int level) {
            int f = level * FRAME;
            int count = end - begin;
            boolean binned = depth + level < MAX_DEPTH;
            if (binned) {
                bins.fill(boxes, order, begin, end, frames, f + 6);
                bins.weigh();
            }
            int mid = -1;
            if (binned && bins.bestAxis() >= 0) {
                float leafCost = count;
                float splitCost = TRAVERSAL_COST + bins.bestCost() / SahBins.area(frames, f);
                if (count > MAX_LEAF || !(splitCost >= leafCost)) {
                    bins.childBox(0, bins.bestBin() + 1, frames, (level + 1) * FRAME);
                    bins.childBox(bins.bestBin() + 1, BINS, frames, f + 12);
                    mid = partition(begin, end, (level + 1) * FRAME + 6, f + 18);
                }
            } else if (count > MAX_LEAF) {
                // Centroids coincide (or the tree is too deep): split the range in half.
                mid = begin + count / 2;
                bounds(begin, mid, frames, (level + 1) * FRAME);
                bounds(mid, end, frames, f + 12);
            }
            if (binned) {
                bins.clear();
            }
            return mid;
        }

        /**
         * Moves the triangles of the best split's left bins to the front, in the order of a two-ended swap, and
         * writes the centroid boxes of the two sides at {@code frames[leftOut..)} and {@code frames[rightOut..)}.
         */
        private int partition(int begin, int end, int leftOut, int rightOut) {
            int axis = bins.bestAxis();
            int bestBin = bins.bestBin();
            float lx0 = Float.MAX_VALUE;
            float ly0 = Float.MAX_VALUE;
            float lz0 = Float.MAX_VALUE;
            float lx1 = -Float.MAX_VALUE;
            float ly1 = -Float.MAX_VALUE;
            float lz1 = -Float.MAX_VALUE;
            float rx0 = Float.MAX_VALUE;
            float ry0 = Float.MAX_VALUE;
            float rz0 = Float.MAX_VALUE;
            float rx1 = -Float.MAX_VALUE;
            float ry1 = -Float.MAX_VALUE;
            float rz1 = -Float.MAX_VALUE;
            int i = begin;
            int j = end - 1;
            while (i <= j) {
                int t = order[i];
                int o = t * 6;
                float cx = (boxes[o] + boxes[o + 3]) * 0.5f;
                float cy = (boxes[o + 1] + boxes[o + 4]) * 0.5f;
                float cz = (boxes[o + 2] + boxes[o + 5]) * 0.5f;
                float c = axis == 0 ? cx : axis == 1 ? cy : cz;
                if (bins.bestAxisBin(c) <= bestBin) {
                    lx0 = Math.min(lx0, cx);
                    ly0 = Math.min(ly0, cy);
                    lz0 = Math.min(lz0, cz);
                    lx1 = Math.max(lx1, cx);
                    ly1 = Math.max(ly1, cy);
                    lz1 = Math.max(lz1, cz);
                    i++;
                } else {
                    rx0 = Math.min(rx0, cx);
                    ry0 = Math.min(ry0, cy);
                    rz0 = Math.min(rz0, cz);
                    rx1 = Math.max(rx1, cx);
                    ry1 = Math.max(ry1, cy);
                    rz1 = Math.max(rz1, cz);
                    order[i] = order[j];
                    order[j--] = t;
                }
            }
            float[] out = frames;
            out[leftOut] = lx0;
            out[leftOut + 1] = ly0;
            out[leftOut + 2] = lz0;
            out[leftOut + 3] = lx1;
            out[leftOut + 4] = ly1;
            out[leftOut + 5] = lz1;
            out[rightOut] = rx0;
            out[rightOut + 1] = ry0;
            out[rightOut + 2] = rz0;
            out[rightOut + 3] = rx1;
            out[rightOut + 4] = ry1;
            out[rightOut + 5] = rz1;
            return i;
        }
    }
}
