package farm.render.core.bvh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * The binned SAH build in its plainest form: a pass over a node's triangles for its bounds, one per axis
 * for the bins, node objects flattened at the end. {@link BvhBuilder} must give exactly its hierarchy.
 */
final class ReferenceBvhBuilder {
    private static final int BINS = BvhBuilder.BINS;
    private static final int MAX_LEAF = BvhBuilder.MAX_LEAF;
    private static final int MAX_DEPTH = BvhBuilder.MAX_DEPTH;
    /** Subtrees smaller than this are built on the calling thread; forking costs more than it saves. */
    private static final int PARALLEL_THRESHOLD = 8192;
    /** Relative cost of visiting a node against intersecting one triangle. */
    private static final float TRAVERSAL_COST = 1.0f;

    private final float[] centroids;
    private final float[] boxes;
    private final int[] order;

    private ReferenceBvhBuilder(float[] positions) {
        int n = positions.length / 9;
        centroids = new float[n * 3];
        boxes = new float[n * 6];
        order = new int[n];
        for (int t = 0; t < n; t++) {
            order[t] = t;
            for (int a = 0; a < 3; a++) {
                float v0 = positions[t * 9 + a];
                float v1 = positions[t * 9 + 3 + a];
                float v2 = positions[t * 9 + 6 + a];
                float lo = Math.min(v0, Math.min(v1, v2));
                float hi = Math.max(v0, Math.max(v1, v2));
                boxes[t * 6 + a] = lo;
                boxes[t * 6 + 3 + a] = hi;
                centroids[t * 3 + a] = (lo + hi) * 0.5f;
            }
        }
    }

    /** Builds on the common pool; the result is the same for any pool. */
    static Bvh build(float[] positions) {
        return build(positions, ForkJoinPool.commonPool());
    }

    static Bvh build(float[] positions, ForkJoinPool pool) {
        if (positions.length % 9 != 0) {
            throw new IllegalArgumentException("positions must hold nine floats per triangle");
        }
        if (positions.length == 0) {
            return Bvh.EMPTY;
        }
        ReferenceBvhBuilder builder = new ReferenceBvhBuilder(positions);
        Node root = pool.invoke(builder.new Build(0, builder.order.length, 0));
        return flatten(root, builder.order);
    }

    /** A node of the tree while it is built; flattened afterwards. */
    private static final class Node {
        final float[] box = new float[6];
        Node left;
        Node right;
        int first;
        int count;
    }

    private final class Build extends RecursiveTask<Node> {
        private final int begin;
        private final int end;
        private final int depth;

        Build(int begin, int end, int depth) {
            this.begin = begin;
            this.end = end;
            this.depth = depth;
        }

        @Override
        protected Node compute() {
            return build(begin, end, depth);
        }

        private Node build(int begin, int end, int depth) {
            Node node = new Node();
            float[] centroidBox = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
            float[] box = node.box;
            box[0] = box[1] = box[2] = Float.MAX_VALUE;
            box[3] = box[4] = box[5] = -Float.MAX_VALUE;
            for (int i = begin; i < end; i++) {
                int t = order[i];
                for (int a = 0; a < 3; a++) {
                    box[a] = Math.min(box[a], boxes[t * 6 + a]);
                    box[a + 3] = Math.max(box[a + 3], boxes[t * 6 + 3 + a]);
                    centroidBox[a] = Math.min(centroidBox[a], centroids[t * 3 + a]);
                    centroidBox[a + 3] = Math.max(centroidBox[a + 3], centroids[t * 3 + a]);
                }
            }
            int count = end - begin;
            int mid = count == 1 ? -1 : split(begin, end, depth, box, centroidBox);
            if (mid < 0) {
                node.first = begin;
                node.count = count;
                return node;
            }
            if (mid - begin >= PARALLEL_THRESHOLD && end - mid >= PARALLEL_THRESHOLD) {
                Build left = new Build(begin, mid, depth + 1);
                left.fork();
                node.right = build(mid, end, depth + 1);
                node.left = left.join();
            } else {
                node.left = build(begin, mid, depth + 1);
                node.right = build(mid, end, depth + 1);
            }
            return node;
        }

        /** Partitions [begin, end) and returns the split point, or -1 when a leaf is cheaper. */
        private int split(int begin, int end, int depth, float[] box, float[] centroidBox) {
            int count = end - begin;
            int bestAxis = -1;
            int bestBin = -1;
            float bestCost = Float.MAX_VALUE;
            if (depth < MAX_DEPTH) {
                int[] binCount = new int[BINS];
                float[] binBox = new float[BINS * 6];
                float[] rightArea = new float[BINS];
                for (int axis = 0; axis < 3; axis++) {
                    float lo = centroidBox[axis];
                    float extent = centroidBox[axis + 3] - lo;
                    if (!(extent > 0)) {
                        continue;
                    }
                    float scale = BINS / extent;
                    java.util.Arrays.fill(binCount, 0);
                    for (int b = 0; b < BINS; b++) {
                        resetBox(binBox, b);
                    }
                    for (int i = begin; i < end; i++) {
                        int t = order[i];
                        int b = bin(centroids[t * 3 + axis], lo, scale);
                        binCount[b]++;
                        growBox(binBox, b, boxes, t);
                    }
                    // Sweep from the right to know each split's right-side area and count, then from the left.
                    float[] acc = emptyBox();
                    int[] rightCount = new int[BINS];
                    int n = 0;
                    for (int b = BINS - 1; b > 0; b--) {
                        mergeBox(acc, binBox, b);
                        n += binCount[b];
                        rightCount[b] = n;
                        rightArea[b] = area(acc);
                    }
                    acc = emptyBox();
                    n = 0;
                    for (int b = 0; b < BINS - 1; b++) {
                        mergeBox(acc, binBox, b);
                        n += binCount[b];
                        if (n == 0 || rightCount[b + 1] == 0) {
                            continue;
                        }
                        // SAH: expected intersections of the two children, relative to this node's area.
                        float cost = area(acc) * n + rightArea[b + 1] * rightCount[b + 1];
                        if (cost < bestCost) {
                            bestCost = cost;
                            bestAxis = axis;
                            bestBin = b;
                        }
                    }
                }
            }
            if (bestAxis >= 0) {
                float leafCost = count;
                float splitCost = TRAVERSAL_COST + bestCost / area(box);
                if (count <= MAX_LEAF && splitCost >= leafCost) {
                    return -1;
                }
                float lo = centroidBox[bestAxis];
                float scale = BINS / (centroidBox[bestAxis + 3] - lo);
                int i = begin;
                int j = end - 1;
                while (i <= j) {
                    if (bin(centroids[order[i] * 3 + bestAxis], lo, scale) <= bestBin) {
                        i++;
                    } else {
                        int tmp = order[i];
                        order[i] = order[j];
                        order[j--] = tmp;
                    }
                }
                return i;
            }
            // Centroids coincide (or the tree is too deep): a leaf if small, else split the range in half.
            return count <= MAX_LEAF ? -1 : begin + count / 2;
        }
    }

    private static int bin(float c, float lo, float scale) {
        int b = (int) ((c - lo) * scale);
        return Math.min(BINS - 1, Math.max(0, b));
    }

    private static float[] emptyBox() {
        return new float[] {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
    }

    private static void resetBox(float[] boxes, int b) {
        for (int a = 0; a < 3; a++) {
            boxes[b * 6 + a] = Float.MAX_VALUE;
            boxes[b * 6 + 3 + a] = -Float.MAX_VALUE;
        }
    }

    private static void growBox(float[] dst, int b, float[] src, int t) {
        for (int a = 0; a < 3; a++) {
            dst[b * 6 + a] = Math.min(dst[b * 6 + a], src[t * 6 + a]);
            dst[b * 6 + 3 + a] = Math.max(dst[b * 6 + 3 + a], src[t * 6 + 3 + a]);
        }
    }

    private static void mergeBox(float[] acc, float[] boxes, int b) {
        for (int a = 0; a < 3; a++) {
            acc[a] = Math.min(acc[a], boxes[b * 6 + a]);
            acc[3 + a] = Math.max(acc[3 + a], boxes[b * 6 + 3 + a]);
        }
    }

    /** Half the surface area of a box; empty boxes have none. */
    private static float area(float[] box) {
        float dx = box[3] - box[0];
        float dy = box[4] - box[1];
        float dz = box[5] - box[2];
        if (dx < 0 || dy < 0 || dz < 0) {
            return 0;
        }
        return dx * dy + dy * dz + dz * dx;
    }

    /** Depth-first layout: a node, then its left subtree, then its right subtree. */
    private static Bvh flatten(Node root, int[] order) {
        List<Node> nodes = new ArrayList<>();
        collect(root, nodes);
        int n = nodes.size();
        float[] bounds = new float[n * 6];
        int[] links = new int[n * 2];
        java.util.IdentityHashMap<Node, Integer> index = new java.util.IdentityHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i), i);
        }
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            System.arraycopy(node.box, 0, bounds, i * 6, 6);
            if (node.left == null) {
                links[i * 2] = node.first;
                links[i * 2 + 1] = node.count;
            } else {
                links[i * 2] = index.get(node.right);
            }
        }
        return new Bvh(bounds, links, order.clone());
    }

    private static void collect(Node root, List<Node> out) {
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            out.add(node);
            if (node.left != null) {
                stack.push(node.right);
                stack.push(node.left);
            }
        }
    }
}
