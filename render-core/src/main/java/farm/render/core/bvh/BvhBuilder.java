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
    private static final float[] EMPTY = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};

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

    private static int bin(float c, float lo, float scale) {
        int b = (int) ((c - lo) * scale);
        return Math.min(BINS - 1, Math.max(0, b));
    }

    /** Half the surface area of the box at {@code box[o..o + 6)}; empty boxes have none. */
    private static float area(float[] box, int o) {
        float dx = box[o + 3] - box[o];
        float dy = box[o + 4] - box[o + 1];
        float dz = box[o + 5] - box[o + 2];
        if (dx < 0 || dy < 0 || dz < 0) {
            return 0;
        }
        return dx * dy + dy * dz + dz * dx;
    }

    /** Grows the box at {@code dst[d..d + 6)} by the box at {@code src[s..s + 6)}. */
    private static void merge(float[] dst, int d, float[] src, int s) {
        for (int a = 0; a < 3; a++) {
            dst[d + a] = Math.min(dst[d + a], src[s + a]);
            dst[d + 3 + a] = Math.max(dst[d + 3 + a], src[s + 3 + a]);
        }
    }

    /** One subtree, built depth first on one thread into its own {@link NodeChunk}, forking its large left subtrees. */
    private final class Build extends RecursiveTask<NodeChunk> {
        private final int begin;
        private final int end;
        private final int depth;
        private final float[] rootBounds;
        private float[] frames = new float[FRAME * 16];
        /** Per axis and bin: triangle count and box; bins are kept empty between nodes. */
        private final int[] binCount = new int[3 * BINS];
        private final float[] binBox = new float[3 * BINS * 6];
        private final float[] axisLo = new float[3];
        private final float[] axisScale = new float[3];
        private final boolean[] axisSpread = new boolean[3];
        /** Per axis, a bit for each bin that holds a triangle. */
        private final int[] binMask = new int[3];
        private final int[] occupied = new int[BINS];
        private final int[] rightCount = new int[BINS];
        private final float[] rightArea = new float[BINS];
        private final float[] acc = new float[6];
        private NodeChunk chunk;
        private int bestAxis;
        private int bestBin;
        private float bestCost;

        Build(int begin, int end, int depth, float[] rootBounds) {
            this.begin = begin;
            this.end = end;
            this.depth = depth;
            this.rootBounds = rootBounds;
            for (int k = 0; k < 3 * BINS; k++) {
                System.arraycopy(EMPTY, 0, binBox, k * 6, 6);
            }
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
            bestAxis = -1;
            bestBin = -1;
            bestCost = Float.MAX_VALUE;
            boolean binned = depth + level < MAX_DEPTH;
            if (binned) {
                binAll(begin, end, f);
                for (int axis = 0; axis < 3; axis++) {
                    weigh(axis);
                }
            }
            int mid = -1;
            if (bestAxis >= 0) {
                float leafCost = count;
                float splitCost = TRAVERSAL_COST + bestCost / area(frames, f);
                if (count > MAX_LEAF || !(splitCost >= leafCost)) {
                    childBox(bestAxis, 0, bestBin + 1, frames, (level + 1) * FRAME);
                    childBox(bestAxis, bestBin + 1, BINS, frames, f + 12);
                    mid = partition(begin, end, bestAxis, bestBin, (level + 1) * FRAME + 6, f + 18);
                }
            } else if (count > MAX_LEAF) {
                // Centroids coincide (or the tree is too deep): split the range in half.
                mid = begin + count / 2;
                bounds(begin, mid, frames, (level + 1) * FRAME);
                bounds(mid, end, frames, f + 12);
            }
            if (binned) {
                clearBins();
            }
            return mid;
        }

        /**
         * Weighs the split after each occupied bin of {@code axis} but the last, keeping the cheapest so far (the first
         * of equals). A split after an empty bin has the sides and cost of the one before it, so it is never cheaper.
         */
        private void weigh(int axis) {
            int base = axis * BINS;
            int m = 0;
            for (int mask = binMask[axis]; mask != 0; mask &= mask - 1) {
                occupied[m++] = Integer.numberOfTrailingZeros(mask);
            }
            // Sweep from the right to know each split's right-side area and count, then from the left.
            System.arraycopy(EMPTY, 0, acc, 0, 6);
            int n = 0;
            for (int i = m - 1; i > 0; i--) {
                int k = base + occupied[i];
                merge(acc, 0, binBox, k * 6);
                n += binCount[k];
                rightArea[i] = area(acc, 0);
                rightCount[i] = n;
            }
            System.arraycopy(EMPTY, 0, acc, 0, 6);
            n = 0;
            for (int i = 0; i < m - 1; i++) {
                int k = base + occupied[i];
                merge(acc, 0, binBox, k * 6);
                n += binCount[k];
                // SAH: expected intersections of the two children, relative to this node's area.
                float cost = area(acc, 0) * n + rightArea[i + 1] * rightCount[i + 1];
                if (cost < bestCost) {
                    bestCost = cost;
                    bestAxis = axis;
                    bestBin = occupied[i];
                }
            }
        }

        /** Counts the triangles of [begin, end) into the bins of every axis along which their centroids spread. */
        private void binAll(int begin, int end, int f) {
            for (int a = 0; a < 3; a++) {
                float lo = frames[f + 6 + a];
                float extent = frames[f + 9 + a] - lo;
                axisLo[a] = lo;
                axisScale[a] = BINS / extent;
                axisSpread[a] = extent > 0;
            }
            float loX = axisLo[0];
            float loY = axisLo[1];
            float loZ = axisLo[2];
            float sX = axisScale[0];
            float sY = axisScale[1];
            float sZ = axisScale[2];
            boolean spreadX = axisSpread[0];
            boolean spreadY = axisSpread[1];
            boolean spreadZ = axisSpread[2];
            // Consecutive triangles often share their three bins: their box grows in registers until the bins change.
            int run = -1;
            int runCount = 0;
            float rx0 = 0;
            float ry0 = 0;
            float rz0 = 0;
            float rx1 = 0;
            float ry1 = 0;
            float rz1 = 0;
            for (int i = begin; i < end; i++) {
                int t = order[i] * 6;
                float x0 = boxes[t];
                float y0 = boxes[t + 1];
                float z0 = boxes[t + 2];
                float x1 = boxes[t + 3];
                float y1 = boxes[t + 4];
                float z1 = boxes[t + 5];
                int bins = (spreadX ? bin((x0 + x1) * 0.5f, loX, sX) : 0)
                        | (spreadY ? bin((y0 + y1) * 0.5f, loY, sY) : 0) << 4
                        | (spreadZ ? bin((z0 + z1) * 0.5f, loZ, sZ) : 0) << 8;
                if (bins == run) {
                    runCount++;
                    rx0 = Math.min(rx0, x0);
                    ry0 = Math.min(ry0, y0);
                    rz0 = Math.min(rz0, z0);
                    rx1 = Math.max(rx1, x1);
                    ry1 = Math.max(ry1, y1);
                    rz1 = Math.max(rz1, z1);
                } else {
                    if (runCount > 0) {
                        add(run, runCount, rx0, ry0, rz0, rx1, ry1, rz1);
                    }
                    run = bins;
                    runCount = 1;
                    rx0 = x0;
                    ry0 = y0;
                    rz0 = z0;
                    rx1 = x1;
                    ry1 = y1;
                    rz1 = z1;
                }
            }
            if (runCount > 0) {
                add(run, runCount, rx0, ry0, rz0, rx1, ry1, rz1);
            }
        }

        /** Adds {@code count} triangles whose box is the one given to their bin on each axis that spreads. */
        private void add(int bins, int count, float x0, float y0, float z0, float x1, float y1, float z1) {
            for (int axis = 0; axis < 3; axis++) {
                if (axisSpread[axis]) {
                    int b = (bins >> (4 * axis)) & (BINS - 1);
                    binMask[axis] |= 1 << b;
                    int k = axis * BINS + b;
                    binCount[k] += count;
                    int o = k * 6;
                    float[] box = binBox;
                    box[o] = Math.min(box[o], x0);
                    box[o + 1] = Math.min(box[o + 1], y0);
                    box[o + 2] = Math.min(box[o + 2], z0);
                    box[o + 3] = Math.max(box[o + 3], x1);
                    box[o + 4] = Math.max(box[o + 4], y1);
                    box[o + 5] = Math.max(box[o + 5], z1);
                }
            }
        }

        /** The union of bins [from, to) of {@code axis}: the box of their triangles. */
        private void childBox(int axis, int from, int to, float[] out, int offset) {
            System.arraycopy(EMPTY, 0, out, offset, 6);
            for (int mask = binMask[axis] & (-1 << from) & ~(-1 << to); mask != 0; mask &= mask - 1) {
                merge(out, offset, binBox, (axis * BINS + Integer.numberOfTrailingZeros(mask)) * 6);
            }
        }

        private void clearBins() {
            for (int axis = 0; axis < 3; axis++) {
                for (int mask = binMask[axis]; mask != 0; mask &= mask - 1) {
                    int k = axis * BINS + Integer.numberOfTrailingZeros(mask);
                    binCount[k] = 0;
                    System.arraycopy(EMPTY, 0, binBox, k * 6, 6);
                }
                binMask[axis] = 0;
            }
        }

        /**
         * Moves the triangles of bins up to {@code bestBin} to the front, in the order of a two-ended swap, and
         * writes the centroid boxes of the two sides at {@code frames[leftOut..)} and {@code frames[rightOut..)}.
         */
        private int partition(int begin, int end, int axis, int bestBin, int leftOut, int rightOut) {
            float lo = axisLo[axis];
            float scale = axisScale[axis];
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
                if (bin(c, lo, scale) <= bestBin) {
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
