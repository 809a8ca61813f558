package farm.render.core.bvh;

/**
 * The bins of one node along the three axes (Wald 2007): each bin's triangle count and box, and the cheapest
 * split between bins by the surface area heuristic. A build task keeps one and empties it after each node.
 * Minima and maxima are {@link Math#min(float, float)}'s, so a bin's box is exactly that of its triangles.
 */
final class SahBins {
    static final int BINS = BvhBuilder.BINS;
    static final float[] EMPTY = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};

    /** Per axis and bin: triangle count and box; empty between nodes. */
    private final int[] binCount = new int[3 * BINS];
    private final float[] binBox = new float[3 * BINS * 6];
    /** Per axis, a bit for each bin that holds a triangle. */
    private final int[] binMask = new int[3];
    private final float[] axisLo = new float[3];
    private final float[] axisScale = new float[3];
    private final boolean[] axisSpread = new boolean[3];
    private final int[] occupied = new int[BINS];
    private final int[] rightCount = new int[BINS];
    private final float[] rightArea = new float[BINS];
    private final float[] acc = new float[6];
    private int bestAxis;
    private int bestBin;
    private float bestCost;

    SahBins() {
        for (int k = 0; k < 3 * BINS; k++) {
            System.arraycopy(EMPTY, 0, binBox, k * 6, 6);
        }
    }

    /** Weighs every axis that spreads; afterwards {@link #bestAxis()} is -1 when no split separates the triangles. */
    void weigh() {
        bestAxis = -1;
        bestBin = -1;
        bestCost = Float.MAX_VALUE;
        for (int axis = 0; axis < 3; axis++) {
            weigh(axis);
        }
    }

    int bestAxis() {
        return bestAxis;
    }

    /** The last bin of the left side of the best split. */
    int bestBin() {
        return bestBin;
    }

    /** The best split's cost: the children's areas times their triangle counts. */
    float bestCost() {
        return bestCost;
    }

    /** The bin of centroid coordinate {@code c} along the best axis. */
    int bestAxisBin(float c) {
        return bin(c, axisLo[bestAxis], axisScale[bestAxis]);
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

    /**
     * Counts the triangles {@code order[begin..end)} into the bins of every axis along which their centroids
     * spread, the centroid box being at {@code centroidBox[f..f + 6)}.
     */
    void fill(float[] boxes, int[] order, int begin, int end, float[] centroidBox, int f) {
        for (int a = 0; a < 3; a++) {
            float lo = centroidBox[f + a];
            float extent = centroidBox[f + 3 + a] - lo;
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

    /** The union of bins [from, to) of the best axis: the box of their triangles. */
    void childBox(int from, int to, float[] out, int offset) {
        int axis = bestAxis;
        System.arraycopy(EMPTY, 0, out, offset, 6);
        for (int mask = binMask[axis] & (-1 << from) & ~(-1 << to); mask != 0; mask &= mask - 1) {
            merge(out, offset, binBox, (axis * BINS + Integer.numberOfTrailingZeros(mask)) * 6);
        }
    }

    /** Empties the bins that {@link #fill} used, for the next node. */
    void clear() {
        for (int axis = 0; axis < 3; axis++) {
            for (int mask = binMask[axis]; mask != 0; mask &= mask - 1) {
                int k = axis * BINS + Integer.numberOfTrailingZeros(mask);
                binCount[k] = 0;
                System.arraycopy(EMPTY, 0, binBox, k * 6, 6);
            }
            binMask[axis] = 0;
        }
    }

    private static int bin(float c, float lo, float scale) {
        int b = (int) ((c - lo) * scale);
        return Math.min(BINS - 1, Math.max(0, b));
    }

    /** Half the surface area of the box at {@code box[o..o + 6)}; empty boxes have none. */
    static float area(float[] box, int o) {
        float dx = box[o + 3] - box[o];
        float dy = box[o + 4] - box[o + 1];
        float dz = box[o + 5] - box[o + 2];
        if (dx < 0 || dy < 0 || dz < 0) {
            return 0;
        }
        return dx * dy + dy * dz + dz * dx;
    }

    /** Grows the box at {@code dst[d..d + 6)} by the box at {@code src[s..s + 6)}. */
    static void merge(float[] dst, int d, float[] src, int s) {
        for (int a = 0; a < 3; a++) {
            dst[d + a] = Math.min(dst[d + a], src[s + a]);
            dst[d + 3 + a] = Math.max(dst[d + 3 + a], src[s + 3 + a]);
        }
    }
}
