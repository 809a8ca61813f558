package farm.render.core.bvh;

import java.nio.ByteBuffer;

/**
 * The hierarchy as the scene package stores it: the root's box in floats; every other node's box in six bytes, each
 * plane one of 256 steps across its parent's box, rounded outwards (a box never shrinks, so no hit is lost); one byte per
 * node for its shape (0: interior, n: a leaf of n triangles), from which the depth-first layout gives back every link;
 * then the triangle order. About 7 bytes per node instead of 32. Decoding gives the boxes every device then traverses, so
 * the quantization is part of the canonical format; encoding a decoded hierarchy gives the same bytes.
 */
public final class QuantizedBvh {
    private static final int STEPS = 255;

    private QuantizedBvh() {
    }

    /** Bytes {@link #write} takes for {@code bvh}. */
    public static long size(Bvh bvh) {
        int n = bvh.nodeCount();
        return 4 + (n == 0 ? 0 : 24 + 6L * (n - 1)) + n + 4L * bvh.primitives().length;
    }

    /**
     * Writes the hierarchy; its leaves' ranges are renumbered in depth-first order (each leaf keeps its triangles and their
     * order), which the builder's layout already is.
     */
    public static void write(ByteBuffer out, Bvh bvh) {
        int n = bvh.nodeCount();
        float[] b = bvh.bounds();
        int[] links = bvh.links();
        out.putInt(n);
        if (n == 0) {
            return;
        }
        for (int k = 0; k < 6; k++) {
            out.putFloat(b[k]);
        }
        float[] box = new float[n * 6];
        System.arraycopy(b, 0, box, 0, 6);
        int[] parent = parents(links, n);
        byte[] code = new byte[6];
        for (int i = 1; i < n; i++) {
            int p = parent[i];
            for (int axis = 0; axis < 3; axis++) {
                float lo = box[p * 6 + axis];
                float hi = box[p * 6 + 3 + axis];
                int qmin = floorCode(lo, hi, b[i * 6 + axis]);
                int qmax = ceilCode(lo, hi, b[i * 6 + 3 + axis]);
                code[axis] = (byte) qmin;
                code[3 + axis] = (byte) qmax;
                box[i * 6 + axis] = step(lo, hi, qmin);
                box[i * 6 + 3 + axis] = step(lo, hi, qmax);
            }
            out.put(code);
        }
        int[] order = new int[bvh.primitives().length];
        int next = 0;
        for (int i = 0; i < n; i++) {
            int count = links[i * 2 + 1];
            if (count > STEPS) {
                throw new IllegalArgumentException("leaf " + i + " holds " + count + " triangles; at most " + STEPS + " fit");
            }
            out.put((byte) count);
            if (count > 0) {
                System.arraycopy(bvh.primitives(), links[i * 2], order, next, count);
                next += count;
            }
        }
        for (int t : order) {
            out.putInt(t);
        }
    }

    /**
     * Reads a hierarchy over {@code triangles} triangles, or names what is wrong with it; the caller still validates the
     * result ({@link Bvh#validate}).
     */
    public static Bvh read(ByteBuffer in, int triangles) {
        int n = in.getInt();
        if (n < 0 || n > 2 * triangles || (n == 0) != (triangles == 0)
                || (n == 0 ? 0 : 18 + 7L * n) + 4L * triangles > in.remaining()) {
            throw new IllegalArgumentException("hierarchy node count " + n + " out of range");
        }
        float[] box = new float[n * 6];
        int[] links = new int[n * 2];
        if (n > 0) {
            for (int k = 0; k < 6; k++) {
                box[k] = in.getFloat();
            }
            int codesAt = in.position();
            in.position(codesAt + 6 * (n - 1));
            byte[] shape = new byte[n];
            in.get(shape);
            int[] parent = shape(shape, links);
            int end = in.position();
            in.position(codesAt);
            for (int i = 1; i < n; i++) {
                int p = parent[i];
                for (int k = 0; k < 6; k++) {
                    int axis = k % 3;
                    box[i * 6 + k] = step(box[p * 6 + axis], box[p * 6 + 3 + axis], in.get() & 0xFF);
                }
            }
            in.position(end);
        }
        int[] order = new int[triangles];
        for (int i = 0; i < triangles; i++) {
            order[i] = in.getInt();
        }
        return new Bvh(box, links, order);
    }

    /**
     * Fills the links from the nodes' shapes in depth-first order (left child next, right child after the left subtree,
     * leaves' ranges one after another) and returns each node's parent.
     */
    private static int[] shape(byte[] shape, int[] links) {
        int n = shape.length;
        int[] parent = new int[n];
        parent[0] = -1;
        int[] stack = new int[n];
        boolean[] inRight = new boolean[n];
        int depth = 0;
        int first = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                if (depth == 0) {
                    throw new IllegalArgumentException("hierarchy node " + i + " follows a complete tree");
                }
                int top = stack[depth - 1];
                parent[i] = top;
                if (inRight[top]) {
                    links[top * 2] = i;
                }
            }
            int count = shape[i] & 0xFF;
            if (count == 0) {
                stack[depth++] = i;
                continue;
            }
            links[i * 2] = first;
            links[i * 2 + 1] = count;
            first += count;
            if (first > links.length) {
                throw new IllegalArgumentException("hierarchy leaves hold more triangles than the scene has");
            }
            // a subtree ends: its parent goes on to the right child, or is itself complete
            while (depth > 0) {
                int top = stack[depth - 1];
                if (!inRight[top]) {
                    inRight[top] = true;
                    break;
                }
                depth--;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("hierarchy ends inside an unfinished subtree");
        }
        return parent;
    }

    private static int[] parents(int[] links, int n) {
        int[] parent = new int[n];
        parent[0] = -1;
        for (int i = 0; i < n; i++) {
            if (links[i * 2 + 1] == 0) {
                parent[i + 1] = i;
                parent[links[i * 2]] = i;
            }
        }
        return parent;
    }

    /** Plane {@code q} of 255 steps from {@code lo} to {@code hi}; the ends are exact. */
    static float step(float lo, float hi, int q) {
        if (q <= 0) {
            return lo;
        }
        if (q >= STEPS) {
            return hi;
        }
        float v = lo + (hi - lo) * ((float) q / STEPS);
        return Float.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : (q < 128 ? lo : hi);
    }

    /** The smallest code whose plane is the highest one at or below {@code v}. */
    static int floorCode(float lo, float hi, float v) {
        int q = estimate(lo, hi, v);
        while (q < STEPS && step(lo, hi, q + 1) <= v) {
            q++;
        }
        while (q > 0 && step(lo, hi, q) > v) {
            q--;
        }
        while (q > 0 && step(lo, hi, q - 1) == step(lo, hi, q)) {
            q--;
        }
        return q;
    }

    /** The smallest code whose plane is at or above {@code v}. */
    static int ceilCode(float lo, float hi, float v) {
        int q = estimate(lo, hi, v);
        while (q > 0 && step(lo, hi, q - 1) >= v) {
            q--;
        }
        while (q < STEPS && step(lo, hi, q) < v) {
            q++;
        }
        return q;
    }

    private static int estimate(float lo, float hi, float v) {
        double e = (double) hi - lo;
        if (!(e > 0) || !Double.isFinite(e)) {
            return v <= lo ? 0 : STEPS;
        }
        double q = (v - (double) lo) / e * STEPS;
        return (int) Math.max(0, Math.min(STEPS, Math.floor(q)));
    }
}
