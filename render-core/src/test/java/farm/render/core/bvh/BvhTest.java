package farm.render.core.bvh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class BvhTest {
    /** Random small triangles in a unit cube, plus a few large ones that straddle many others. */
    static float[] soup(int count, long seed) {
        Random r = new Random(seed);
        float[] p = new float[count * 9];
        for (int t = 0; t < count; t++) {
            float size = t % 50 == 0 ? 0.5f : 0.05f;
            float cx = r.nextFloat();
            float cy = r.nextFloat();
            float cz = r.nextFloat();
            for (int v = 0; v < 3; v++) {
                p[t * 9 + v * 3] = cx + (r.nextFloat() - 0.5f) * size;
                p[t * 9 + v * 3 + 1] = cy + (r.nextFloat() - 0.5f) * size;
                p[t * 9 + v * 3 + 2] = cz + (r.nextFloat() - 0.5f) * size;
            }
        }
        return p;
    }

    /** A UV sphere of 2 × rings × segments triangles (minus the pole slivers' spare halves kept anyway). */
    static float[] sphere(float cx, float cy, float cz, float radius, int rings, int segments) {
        float[] p = new float[rings * segments * 18];
        int o = 0;
        for (int i = 0; i < rings; i++) {
            for (int j = 0; j < segments; j++) {
                float[][] q = new float[4][];
                for (int k = 0; k < 4; k++) {
                    double theta = Math.PI * (i + (k >> 1)) / rings;
                    double phi = 2 * Math.PI * (j + ((k ^ (k >> 1)) & 1)) / segments;
                    q[k] = new float[] {cx + (float) (radius * Math.sin(theta) * Math.cos(phi)),
                            cy + (float) (radius * Math.cos(theta)), cz + (float) (radius * Math.sin(theta) * Math.sin(phi))};
                }
                for (int[] tri : new int[][] {{0, 1, 2}, {0, 2, 3}}) {
                    for (int v : tri) {
                        System.arraycopy(q[v], 0, p, o, 3);
                        o += 3;
                    }
                }
            }
        }
        return p;
    }

    private static void assertSameHitsAsBruteForce(float[] positions, Bvh bvh, int rays, long seed) {
        Random r = new Random(seed);
        int hits = 0;
        for (int i = 0; i < rays; i++) {
            float[] o = {r.nextFloat() * 2 - 0.5f, r.nextFloat() * 2 - 0.5f, r.nextFloat() * 2 - 0.5f};
            float[] d = {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
            RayCast.Hit expected = RayCast.bruteForce(positions, o, d);
            RayCast.Hit actual = RayCast.closest(bvh, positions, o, d);
            assertThat(actual.t()).as("ray %d", i).isEqualTo(expected.t());
            if (expected.triangle() >= 0) {
                hits++;
                // A different triangle only when both lie at exactly the same distance (a shared edge).
                assertThat(RayCast.intersect(positions, actual.triangle(), o, d, Float.MAX_VALUE)).isEqualTo(expected.t());
            }
        }
        assertThat(hits).as("rays that hit something").isGreaterThan(rays / 20);
    }

    @Test
    void nearestHitsEqualBruteForceOnRandomRays() {
        float[] positions = soup(3000, 1);
        Bvh bvh = BvhBuilder.build(positions);
        assertThat(bvh.validate(3000)).isNull();
        assertSameHitsAsBruteForce(positions, bvh, 4000, 2);
    }

    @Test
    void closedMeshHitsEqualBruteForce() {
        float[] positions = sphere(0.5f, 0.5f, 0.5f, 0.4f, 40, 60);
        Bvh bvh = BvhBuilder.build(positions);
        assertSameHitsAsBruteForce(positions, bvh, 3000, 3);
    }

    @Test
    void theHierarchyIsTheSameForAnyNumberOfThreads() {
        float[] positions = soup(60_000, 4);
        ForkJoinPool one = new ForkJoinPool(1);
        ForkJoinPool four = new ForkJoinPool(4);
        try {
            Bvh a = BvhBuilder.build(positions, one);
            Bvh b = BvhBuilder.build(positions, four);
            Bvh c = BvhBuilder.build(positions, four);
            assertThat(b).isEqualTo(a);
            assertThat(c).isEqualTo(a);
        } finally {
            one.shutdown();
            four.shutdown();
        }
    }

    @Test
    void aLargeMeshGetsAShallowTreeWithSmallLeaves() {
        float[] positions = sphere(0, 0, 0, 1, 250, 200);
        int triangles = positions.length / 9;
        assertThat(triangles).isGreaterThanOrEqualTo(100_000);
        Bvh bvh = BvhBuilder.build(positions);
        assertThat(bvh.validate(triangles)).isNull();
        int maxDepth = depth(bvh, 0);
        assertThat(maxDepth).isLessThanOrEqualTo(BvhBuilder.MAX_DEPTH + 1);
        int leaves = 0;
        for (int i = 0; i < bvh.nodeCount(); i++) {
            if (bvh.isLeaf(i)) {
                leaves++;
                assertThat(bvh.links()[2 * i + 1]).isLessThanOrEqualTo(BvhBuilder.MAX_LEAF);
            }
        }
        assertThat(leaves).isGreaterThan(triangles / (2 * BvhBuilder.MAX_LEAF));
    }

    @Test
    void validationRejectsBrokenHierarchies() {
        Bvh good = BvhBuilder.build(soup(100, 5));
        assertThat(good.validate(100)).isNull();
        assertThat(good.validate(99)).isNotNull();
        int[] cyclic = good.links().clone();
        cyclic[0] = 0;
        assertThat(new Bvh(good.bounds(), cyclic, good.primitives()).validate(100)).contains("children");
        int[] duplicate = good.primitives().clone();
        duplicate[1] = duplicate[0];
        assertThat(new Bvh(good.bounds(), good.links(), duplicate).validate(100)).contains("permutation");
        assertThat(Bvh.EMPTY.validate(0)).isNull();
    }

    private static int depth(Bvh bvh, int node) {
        if (bvh.isLeaf(node)) {
            return 1;
        }
        return 1 + Math.max(depth(bvh, node + 1), depth(bvh, bvh.links()[2 * node]));
    }
}
