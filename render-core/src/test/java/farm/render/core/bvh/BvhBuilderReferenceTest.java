package farm.render.core.bvh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The builder gives node for node the hierarchy of the plain build ({@link ReferenceBvhBuilder}): packages keep their bytes. */
class BvhBuilderReferenceTest {
    private static final ForkJoinPool ONE = new ForkJoinPool(1);
    private static final ForkJoinPool THREE = new ForkJoinPool(3);

    @AfterAll
    static void shutdown() {
        ONE.shutdown();
        THREE.shutdown();
    }

    private static void assertSameAsReference(float[] positions) {
        Bvh expected = ReferenceBvhBuilder.build(positions, ONE);
        assertThat(BvhBuilder.build(positions, ONE)).isEqualTo(expected);
        assertThat(BvhBuilder.build(positions, THREE)).isEqualTo(expected);
        assertThat(BvhBuilder.build(positions)).isEqualTo(expected);
    }

    @Test
    void randomSoupsWithForkedSubtrees() {
        assertSameAsReference(BvhTest.soup(70_000, 11));
        assertSameAsReference(BvhTest.soup(3_000, 12));
    }

    @Test
    void aClosedMesh() {
        assertSameAsReference(BvhTest.sphere(0, 0, 0, 1, 120, 200));
    }

    @Test
    void tinyScenes() {
        for (int n = 1; n <= 9; n++) {
            assertSameAsReference(BvhTest.soup(n, 20 + n));
        }
    }

    /** Every centroid at one point: no axis to bin along, so ranges are halved. */
    @Test
    void coincidentCentroids() {
        float[] p = new float[9 * 40];
        for (int t = 0; t < 40; t++) {
            float s = 1 + t;
            float[] tri = {-s, 0, 0, s, 0, 0, 0, s, 0};
            System.arraycopy(tri, 0, p, t * 9, 9);
        }
        assertSameAsReference(p);
    }

    /**
     * Triangles 32 times farther out each, flat in y and z: the SAH peels one off per level, past the depth
     * where splits turn to medians.
     */
    @Test
    void aChainDeeperThanTheBinnedLevels() {
        int n = 55;
        float[] p = new float[9 * n];
        for (int t = 0; t < n; t++) {
            float x = Math.scalb(1f, 5 * t - 149);
            float[] tri = {x, 0, 0, x * 1.5f, 1e-30f, 0, x, 0, 1e-30f};
            System.arraycopy(tri, 0, p, t * 9, 9);
        }
        assertThat(depth(BvhBuilder.build(p), 0)).isGreaterThan(BvhBuilder.MAX_DEPTH + 1);
        assertSameAsReference(p);
    }

    /** The same chain with clusters of triangles for links: subtrees built in parallel reach the median depth too. */
    @Test
    void aChainOfLargeClustersDeeperThanTheBinnedLevels() {
        int clusters = 40;
        int per = 8200;
        float yz = 1e-15f;
        Random r = new Random(3);
        float[] p = new float[9 * clusters * per];
        int o = 0;
        for (int c = 0; c < clusters; c++) {
            float x = Math.scalb(1f, 5 * c - 85);
            for (int i = 0; i < per; i++) {
                float px = x * (1 + 0.5f * r.nextFloat());
                float py = yz * r.nextFloat();
                float pz = yz * r.nextFloat();
                float[] tri = {px, py, pz, px + x * 0.01f, py, pz, px, py + yz * 0.01f, pz + yz * 0.01f};
                System.arraycopy(tri, 0, p, o, 9);
                o += 9;
            }
        }
        assertThat(depth(BvhBuilder.build(p), 0)).isGreaterThan(BvhBuilder.MAX_DEPTH + 1);
        assertSameAsReference(p);
    }

    private static int depth(Bvh bvh, int node) {
        return bvh.isLeaf(node) ? 1 : 1 + Math.max(depth(bvh, node + 1), depth(bvh, bvh.links()[2 * node]));
    }

    /** Triangles on one line, zero-area boxes: split costs of 0 / 0. */
    @Test
    void degenerateTrianglesOnALine() {
        Random r = new Random(7);
        float[] p = new float[9 * 50];
        for (int i = 0; i < p.length; i += 3) {
            p[i] = r.nextInt(20);
        }
        assertSameAsReference(p);
    }
}
