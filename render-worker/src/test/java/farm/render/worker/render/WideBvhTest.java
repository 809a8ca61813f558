package farm.render.worker.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import farm.render.core.bvh.Bvh;
import farm.render.core.bvh.BvhBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WideBvhTest {

    private static float[] randomTriangles(int count, long seed) {
        Random random = new Random(seed);
        float[] p = new float[count * 9];
        for (int t = 0; t < count; t++) {
            float cx = random.nextFloat() * 100;
            float cy = random.nextFloat() * 100;
            float cz = random.nextFloat() * 100;
            for (int k = 0; k < 9; k++) {
                p[t * 9 + k] = (k % 3 == 0 ? cx : k % 3 == 1 ? cy : cz) + random.nextFloat();
            }
        }
        return p;
    }

    /** Walks the wide tree from the root; counts how often each triangle is reached and checks every child box. */
    private static int[] reach(WideBvh wide, Bvh bvh, int triangles) {
        int[] seen = new int[triangles];
        ByteBuffer nodes = wide.nodes();
        Deque<Integer> pending = new ArrayDeque<>();
        pending.add(0);
        int visited = 0;
        while (!pending.isEmpty()) {
            int node = pending.pop();
            visited++;
            int base = node * WideBvh.NODE_BYTES;
            for (int slot = 0; slot < WideBvh.WIDTH; slot++) {
                int word = nodes.getInt(base + WideBvh.WORDS_OFFSET + slot * 4);
                if (word == 0) {
                    continue;
                }
                float[] box = WideBvh.childBox(nodes, node, slot);
                float minX = box[0];
                assertThat(minX).isLessThanOrEqualTo(box[3]);
                int count = word & 7;
                if (count == 0) {
                    pending.push(word >>> 3);
                } else {
                    int first = word >>> 3;
                    for (int i = first; i < first + count; i++) {
                        seen[i]++;
                        // the leaf's box holds its triangles' x extent
                        int t = bvh.primitives()[i];
                        assertEncloses(box, t);
                    }
                }
            }
        }
        assertThat(visited).isEqualTo(wide.nodeCount());
        return seen;
    }

    private static float[] positions;

    /** The decoded box holds every vertex of triangle t: the quantized planes round outwards. */
    private static void assertEncloses(float[] box, int t) {
        for (int c = 0; c < 3; c++) {
            for (int axis = 0; axis < 3; axis++) {
                float v = positions[t * 9 + c * 3 + axis];
                assertThat(box[axis]).isLessThanOrEqualTo(v);
                assertThat(box[axis + 3]).isGreaterThanOrEqualTo(v);
            }
        }
    }

    @Test
    void everyTriangleIsInExactlyOneLeafOfTheWideTreeInAboutHalfTheLevels() {
        positions = randomTriangles(5000, 7);
        Bvh bvh = BvhBuilder.build(positions);
        WideBvh wide = WideBvh.of(bvh);
        assertThat(reach(wide, bvh, 5000)).containsOnly(1);
        int binaryInterior = 0;
        for (int i = 0; i < bvh.nodeCount(); i++) {
            binaryInterior += bvh.isLeaf(i) ? 0 : 1;
        }
        // each wide node takes in a binary node and, where they are interior, its children
        assertThat(wide.nodeCount()).isLessThan(binaryInterior).isGreaterThanOrEqualTo(binaryInterior / 3);
        assertThat(wide.nodes().remaining()).isEqualTo(wide.nodeCount() * WideBvh.NODE_BYTES);
    }

    @Test
    void nodesAreNumberedDepthFirstSoAFirstInteriorChildFollowsItsParent() {
        positions = randomTriangles(4000, 3);
        WideBvh wide = WideBvh.of(BvhBuilder.build(positions));
        ByteBuffer nodes = wide.nodes();
        int parents = 0;
        for (int node = 0; node < wide.nodeCount(); node++) {
            for (int slot = 0; slot < WideBvh.WIDTH; slot++) {
                int word = nodes.getInt(node * WideBvh.NODE_BYTES + WideBvh.WORDS_OFFSET + slot * 4);
                if (word != 0 && (word & 7) == 0) {
                    assertThat(word >>> 3).isEqualTo(node + 1);
                    parents++;
                    break;
                }
            }
        }
        assertThat(parents).isPositive();
    }

    @Test
    void quantizedBoxesEncloseTheirChildrenTightlyAtAnyScale() {
        // one box near the origin, one far away, one tiny: each axis's planes still round outwards
        float[] bounds = {
            -1e-30f, 0, 0, 3e-30f, 1e-30f, 2e-30f,
            -5e20f, 1, 1, 6e20f, 2, 2,
            1e-3f, -1e-3f, 5, 1.001e-3f, 1e-3f, 5};
        for (int i = 0; i < 3; i++) {
            Bvh bvh = new Bvh(new float[] {-5e20f, -1e-3f, 0, 6e20f, 2, 5, bounds[i * 6], bounds[i * 6 + 1], bounds[i * 6 + 2],
                    bounds[i * 6 + 3], bounds[i * 6 + 4], bounds[i * 6 + 5], 1, 1, 1, 2, 2, 2},
                    new int[] {2, 0, 0, 1, 1, 1}, new int[] {0, 1});
            WideBvh wide = WideBvh.of(bvh);
            float[] box = WideBvh.childBox(wide.nodes(), 0, 0);
            for (int axis = 0; axis < 3; axis++) {
                float lo = bounds[i * 6 + axis];
                float hi = bounds[i * 6 + 3 + axis];
                assertThat(box[axis]).isLessThanOrEqualTo(lo);
                assertThat(box[axis + 3]).isGreaterThanOrEqualTo(hi);
            }
        }
        positions = randomTriangles(2000, 5);
        Bvh bvh = BvhBuilder.build(positions);
        WideBvh wide = WideBvh.of(bvh);
        // the root's children lie in a 101-unit cube: 8-bit planes over it are within one step (under 1 unit) of the box
        float[] root = WideBvh.childBox(wide.nodes(), 0, 0);
        float[] exact = new float[6];
        System.arraycopy(bvh.bounds(), (bvh.isLeaf(1) ? 1 : 2) * 6, exact, 0, 6);
        for (int k = 0; k < 6; k++) {
            assertThat(Math.abs(root[k] - exact[k])).isLessThanOrEqualTo(1f);
        }
    }

    @Test
    void aHierarchyThatIsOneLeafBecomesARootWithThatLeafAsItsOnlyChild() {
        positions = new float[18];
        Bvh bvh = new Bvh(new float[] {0, 0, 0, 1, 1, 1}, new int[] {0, 2}, new int[] {0, 1});
        WideBvh wide = WideBvh.of(bvh);
        assertThat(wide.nodeCount()).isEqualTo(1);
        assertThat(reach(wide, bvh, 2)).containsOnly(1);
        assertThat(wide.nodes().getInt(WideBvh.WORDS_OFFSET)).isEqualTo(2);   // triangles from 0, count 2
        assertThat(wide.nodes().getInt(WideBvh.WORDS_OFFSET + 4)).isZero();
    }

    @Test
    void collapsingIsDeterministicAndAnEmptyHierarchyHasNoNodes() {
        positions = randomTriangles(300, 11);
        Bvh bvh = BvhBuilder.build(positions);
        assertThat(WideBvh.of(bvh).nodes()).isEqualTo(WideBvh.of(bvh).nodes());
        assertThat(WideBvh.of(Bvh.EMPTY).nodeCount()).isZero();
    }

    @Test
    void aLeafTooLargeForTheNodeWordIsRefused() {
        Bvh oversized = new Bvh(new float[] {0, 0, 0, 1, 1, 1}, new int[] {0, 9}, new int[9]);
        assertThatThrownBy(() -> WideBvh.of(oversized)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit");
    }
}
