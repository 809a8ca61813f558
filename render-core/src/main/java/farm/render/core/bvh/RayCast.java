package farm.render.core.bvh;

/**
 * Nearest-hit ray casting on the CPU, through a {@link Bvh} or over every triangle: the reference the
 * GPU traversal (shaders/bvh.glsl) mirrors, and what tests compare the hierarchy against.
 */
public final class RayCast {
    /** Distance returned when nothing is hit. */
    public static final float NO_HIT = Float.MAX_VALUE;

    private RayCast() {
    }

    /** The nearest hit: triangle index (scene order) and distance, or (-1, NO_HIT). */
    public record Hit(int triangle, float t) {
    }

    public static Hit bruteForce(float[] positions, float[] origin, float[] dir) {
        int best = -1;
        float bestT = NO_HIT;
        for (int t = 0; t < positions.length / 9; t++) {
            float d = intersect(positions, t, origin, dir, bestT);
            if (d < bestT) {
                bestT = d;
                best = t;
            }
        }
        return new Hit(best, bestT);
    }

    public static Hit closest(Bvh bvh, float[] positions, float[] origin, float[] dir) {
        if (bvh.nodeCount() == 0) {
            return new Hit(-1, NO_HIT);
        }
        float[] inv = {1f / dir[0], 1f / dir[1], 1f / dir[2]};
        int[] stack = new int[64];
        int sp = 0;
        int node = 0;
        int best = -1;
        float bestT = NO_HIT;
        float[] b = bvh.bounds();
        int[] links = bvh.links();
        if (slab(b, 0, origin, inv, bestT) == NO_HIT) {
            return new Hit(-1, NO_HIT);
        }
        while (true) {
            int count = links[node * 2 + 1];
            if (count > 0) {
                int first = links[node * 2];
                for (int i = first; i < first + count; i++) {
                    int tri = bvh.primitives()[i];
                    float d = intersect(positions, tri, origin, dir, bestT);
                    // Ties go to the lower scene index, so the answer does not depend on traversal order.
                    if (d < bestT || (d == bestT && d != NO_HIT && tri < best)) {
                        bestT = d;
                        best = tri;
                    }
                }
            } else {
                int left = node + 1;
                int right = links[node * 2];
                float tl = slab(b, left, origin, inv, bestT);
                float tr = slab(b, right, origin, inv, bestT);
                if (tl != NO_HIT || tr != NO_HIT) {
                    int near = tl <= tr ? left : right;
                    int far = tl <= tr ? right : left;
                    if (Math.max(tl, tr) != NO_HIT) {
                        stack[sp++] = far;
                    }
                    node = near;
                    continue;
                }
            }
            if (sp == 0) {
                return new Hit(best, bestT);
            }
            node = stack[--sp];
        }
    }

    /** Möller & Trumbore 1997, "Fast, Minimum Storage Ray/Triangle Intersection"; t in (0, tMax) or NO_HIT. */
    public static float intersect(float[] p, int tri, float[] o, float[] d, float tMax) {
        int i = tri * 9;
        float e1x = p[i + 3] - p[i], e1y = p[i + 4] - p[i + 1], e1z = p[i + 5] - p[i + 2];
        float e2x = p[i + 6] - p[i], e2y = p[i + 7] - p[i + 1], e2z = p[i + 8] - p[i + 2];
        float px = d[1] * e2z - d[2] * e2y, py = d[2] * e2x - d[0] * e2z, pz = d[0] * e2y - d[1] * e2x;
        float det = e1x * px + e1y * py + e1z * pz;
        if (Math.abs(det) < 1e-12f) {
            return NO_HIT;
        }
        float inv = 1f / det;
        float sx = o[0] - p[i], sy = o[1] - p[i + 1], sz = o[2] - p[i + 2];
        float u = (sx * px + sy * py + sz * pz) * inv;
        if (u < 0 || u > 1) {
            return NO_HIT;
        }
        float qx = sy * e1z - sz * e1y, qy = sz * e1x - sx * e1z, qz = sx * e1y - sy * e1x;
        float v = (d[0] * qx + d[1] * qy + d[2] * qz) * inv;
        if (v < 0 || u + v > 1) {
            return NO_HIT;
        }
        float t = (e2x * qx + e2y * qy + e2z * qz) * inv;
        return t > 0 && t < tMax ? t : NO_HIT;
    }

    /** Slab test (Kay & Kajiya 1986): entry distance into node's box if it is entered before tMax, else NO_HIT. */
    static float slab(float[] b, int node, float[] o, float[] inv, float tMax) {
        float tNear = 0;
        float tFar = tMax;
        for (int a = 0; a < 3; a++) {
            float t0 = (b[node * 6 + a] - o[a]) * inv[a];
            float t1 = (b[node * 6 + 3 + a] - o[a]) * inv[a];
            tNear = Math.max(tNear, Math.min(t0, t1));
            tFar = Math.min(tFar, Math.max(t0, t1));
        }
        return tNear <= tFar ? tNear : NO_HIT;
    }
}
