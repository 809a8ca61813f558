package farm.render.core.bvh;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The package's hierarchy: boxes in steps of their parent's box that never shrink, links given back by the depth-first
 * shape, the same bytes when written again, and shapes that do not make a tree refused.
 */
class QuantizedBvhTest {
    private static float[] triangles(int count, long seed) {
        Random r = new Random(seed);
        float[] p = new float[count * 9];
        for (int t = 0; t < count; t++) {
            float cx = r.nextFloat() * 100 - 50;
            float cy = r.nextFloat() * 0.001f; // a flat scene: one axis nearly without extent
            float cz = r.nextFloat() * 1e5f;
            for (int k = 0; k < 9; k++) {
                p[t * 9 + k] = (k % 3 == 0 ? cx : k % 3 == 1 ? cy : cz) + r.nextFloat() * 0.5f;
            }
        }
        return p;
    }

    private static ByteBuffer written(Bvh bvh) {
        ByteBuffer out = ByteBuffer.allocate((int) QuantizedBvh.size(bvh)).order(ByteOrder.LITTLE_ENDIAN);
        QuantizedBvh.write(out, bvh);
        assertThat(out.hasRemaining()).as("size() counts every byte").isFalse();
        return out.flip();
    }

    @Test
    void boxesNeverShrinkLinksComeBackAndWritingAgainGivesTheSameBytes() {
        for (int count : new int[]{1, 2, 7, 5_000}) {
            Bvh exact = BvhBuilder.build(triangles(count, count));
            ByteBuffer bytes = written(exact);
            Bvh read = QuantizedBvh.read(bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN), count);
            assertThat(read.validate(count)).isNull();
            assertThat(read.links()).isEqualTo(exact.links());
            assertThat(read.primitives()).isEqualTo(exact.primitives());
            float[] q = read.bounds();
            float[] e = exact.bounds();
            for (int i = 0; i < q.length; i++) {
                if (i % 6 < 3) {
                    assertThat(q[i]).as("min plane %d of %d triangles", i, count).isLessThanOrEqualTo(e[i]);
                } else {
                    assertThat(q[i]).as("max plane %d of %d triangles", i, count).isGreaterThanOrEqualTo(e[i]);
                }
            }
            assertThat(written(read)).as("canonical: the decoded hierarchy writes the same bytes").isEqualTo(bytes);
            assertThat(QuantizedBvh.size(exact)).as("%d triangles", count)
                    .isLessThan(4 + 32L * exact.nodeCount() + 4L * count);
        }
    }

    @Test
    void aPlaneSnapsToTheHighestStepAtOrBelowItAndTheLowestAtOrAbove() {
        assertThat(QuantizedBvh.step(0, 255, 17)).isEqualTo(17f);
        assertThat(QuantizedBvh.floorCode(0, 255, 17.5f)).isEqualTo(17);
        assertThat(QuantizedBvh.ceilCode(0, 255, 17.5f)).isEqualTo(18);
        assertThat(QuantizedBvh.floorCode(2, 2, 2)).isZero();
        assertThat(QuantizedBvh.ceilCode(2, 2, 2)).isZero();
        assertThat(QuantizedBvh.step(-1, 1, 255)).isEqualTo(1f);
    }

    @Test
    void shapesThatDoNotMakeOneTreeAreRefused() {
        Bvh bvh = BvhBuilder.build(triangles(40, 3));
        ByteBuffer bytes = written(bvh);
        int shapes = 4 + 24 + 6 * (bvh.nodeCount() - 1);
        ByteBuffer unfinished = ByteBuffer.allocate(bytes.limit()).order(ByteOrder.LITTLE_ENDIAN).put(bytes.duplicate());
        unfinished.put(shapes + bvh.nodeCount() - 1, (byte) 0); // the last leaf made interior: its children never come
        assertThatThrownBy(() -> QuantizedBvh.read(unfinished.flip(), 40)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unfinished");
        ByteBuffer early = ByteBuffer.allocate(bytes.limit()).order(ByteOrder.LITTLE_ENDIAN).put(bytes.duplicate());
        early.put(shapes, (byte) 3); // the root made a leaf: the rest follows a complete tree
        assertThatThrownBy(() -> QuantizedBvh.read(early.flip(), 40)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("follows a complete tree");
        ByteBuffer huge = ByteBuffer.allocate(bytes.limit()).order(ByteOrder.LITTLE_ENDIAN).put(bytes.duplicate());
        huge.putInt(0, 1_000);
        assertThatThrownBy(() -> QuantizedBvh.read(huge.flip(), 40)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node count");
    }
}
