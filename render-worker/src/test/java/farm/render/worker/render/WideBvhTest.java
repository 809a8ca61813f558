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
                int word = nodes.getInt(base + 96 + slot * 4);
                if (word == 0) {
                    continue;
                }
                float minX = nodes.getFloat(base + slot * 4);
                float maxX = nodes.getFloat(base + 16 + slot * 4);
                assertThat(minX).isLessThanOrEqualTo(maxX);
                int count = word & 7;
                if (count == 0) {
                    pending.push(word >>> 3);
                } else {
                    int first = word >>> 3;
                    for (int i = first; i < first + count; i++) {
                        seen[i]++;
                        // the leaf's box holds its triangles' x extent
                        int t = bvh.primitives()[i];
                        assertThat(minX).isLessThanOrEqualTo(minVertexX(t));
                    }
                }
            }
        }
        assertThat(visited).isEqualTo(wide.nodeCount());
        return seen;
    }

    private static float[] positions;

    private static float minVertexX(int t) {
        return Math.min(positions[t * 9], Math.min(positions[t * 9 + 3], positions[t * 9 + 6]));
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
    void aHierarchyThatIsOneLeafBecomesARootWithThatLeafAsItsOnlyChild() {
        positions = new float[18];
        Bvh bvh = new Bvh(new float[] {0, 0, 0, 1, 1, 1}, new int[] {0, 2}, new int[] {0, 1});
        WideBvh wide = WideBvh.of(bvh);
        assertThat(wide.nodeCount()).isEqualTo(1);
        assertThat(reach(wide, bvh, 2)).containsOnly(1);
        assertThat(wide.nodes().getInt(96)).isEqualTo(2);   // triangles from 0, count 2
        assertThat(wide.nodes().getInt(100)).isZero();
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
