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
 * <p>One pass over a node's triangles bins them on all three axes at once ({@link SahBins}); the children's
 * boxes are unions of bins, exactly the minima and maxima a pass over their triangles would give, so a level
 * costs that pass, the partition and a pass for the children's centroid boxes. Each task writes its nodes
 * into a {@link NodeChunk}; the chunks are put together in the depth-first layout at the end.
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

    /** Six floats per primitive: min x y z, max x y z; a centroid is (min + max) / 2. */
    private final float[] boxes;
    private final int[] order;
    /** The most primitives a leaf may hold. */
    private final int maxLeaf;

    private BvhBuilder(float[] boxes, int maxLeaf) {
        this.boxes = boxes;
        this.maxLeaf = maxLeaf;
        order = new int[boxes.length / 6];
        for (int t = 0; t < order.length; t++) {
            order[t] = t;
        }
    }

    /** Six floats per triangle: the box of each triangle of {@code positions}. */
    private static float[] triangleBoxes(float[] positions) {
        int n = positions.length / 9;
        float[] boxes = new float[n * 6];
        for (int t = 0; t < n; t++) {
            int p = t * 9;
            for (int a = 0; a < 3; a++) {
                boxes[t * 6 + a] = Math.min(positions[p + a], Math.min(positions[p + 3 + a], positions[p + 6 + a]));
                boxes[t * 6 + 3 + a] = Math.max(positions[p + a], Math.max(positions[p + 3 + a], positions[p + 6 + a]));
            }
        }
        return boxes;
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

    /**
     * A hierarchy over boxes rather than triangles (six floats each: min x y z, max x y z), at most {@code maxLeaf}
     * to a leaf: what a top level over placed instances needs.
     */
    public static Bvh overBoxes(float[] boxes, int maxLeaf) {
        if (boxes.length % 6 != 0 || maxLeaf < 1) {
            throw new IllegalArgumentException("boxes must hold six floats each, and a leaf at least one");
        }
        return build(new BvhBuilder(boxes, maxLeaf), Workers.POOL::invoke);
    }

    private static Bvh build(float[] positions, Function<Build, NodeChunk> run) {
        if (positions.length % 9 != 0) {
            throw new IllegalArgumentException("positions must hold nine floats per triangle");
        }
        return build(new BvhBuilder(triangleBoxes(positions), MAX_LEAF), run);
    }

    private static Bvh build(BvhBuilder builder, Function<Build, NodeChunk> run) {
        if (builder.order.length == 0) {
            return Bvh.EMPTY;
        }
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
        for (int i = begin; i < end; i++) {
            SahBins.merge(out, offset, boxes, order[i] * 6);
        }
        centroidBox(begin, end, out, offset + 6);
    }

    /** The box of the centroids of the triangles in [begin, end), written at {@code out[offset..offset + 6)}. */
    private void centroidBox(int begin, int end, float[] out, int offset) {
        float x0 = Float.MAX_VALUE;
        float y0 = Float.MAX_VALUE;
        float z0 = Float.MAX_VALUE;
        float x1 = -Float.MAX_VALUE;
        float y1 = -Float.MAX_VALUE;
        float z1 = -Float.MAX_VALUE;
        for (int i = begin; i < end; i++) {
            int t = order[i] * 6;
            float cx = (boxes[t] + boxes[t + 3]) * 0.5f;
            x0 = Math.min(x0, cx);
            x1 = Math.max(x1, cx);
            float cy = (boxes[t + 1] + boxes[t + 4]) * 0.5f;
            y0 = Math.min(y0, cy);
            y1 = Math.max(y1, cy);
            float cz = (boxes[t + 2] + boxes[t + 5]) * 0.5f;
            z0 = Math.min(z0, cz);
            z1 = Math.max(z1, cz);
        }
        float[] box = {x0, y0, z0, x1, y1, z1};
        System.arraycopy(box, 0, out, offset, 6);
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
                if (count > maxLeaf || !(splitCost >= leafCost)) {
                    bins.childBox(0, bins.bestBin() + 1, frames, (level + 1) * FRAME);
                    bins.childBox(bins.bestBin() + 1, BINS, frames, f + 12);
                    mid = partition(begin, end);
                    centroidBox(begin, mid, frames, (level + 1) * FRAME + 6);
                    centroidBox(mid, end, frames, f + 18);
                }
            } else if (count > maxLeaf) {
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

        /** Moves the triangles of the best split's left bins to the front, in the order of a two-ended swap. */
        private int partition(int begin, int end) {
            int axis = bins.bestAxis();
            int bestBin = bins.bestBin();
            int i = begin;
            int j = end - 1;
            while (i <= j) {
                int t = order[i];
                if (bins.bestAxisBin((boxes[t * 6 + axis] + boxes[t * 6 + 3 + axis]) * 0.5f) <= bestBin) {
                    i++;
                } else {
                    order[i] = order[j];
                    order[j--] = t;
                }
            }
            return i;
        }
    }
}
