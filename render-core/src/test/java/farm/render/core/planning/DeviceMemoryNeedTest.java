package farm.render.core.planning;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceMemoryNeedTest {
    @Test
    void aTileTakesItsPixelListAndRadianceButNeverLessThanASixtyFourSquareTile() {
        assertThat(DeviceMemoryNeed.tileBytes(256L * 256)).isEqualTo(256L * 256 * 24);
        assertThat(DeviceMemoryNeed.tileBytes(8 * 8)).isEqualTo(DeviceMemoryNeed.tileBytes(64 * 64)).isEqualTo(64L * 64 * 24);
    }

    @Test
    void theBoundAddsTrianglesPackageBytesAtFiveThirdsAndTheFixedPart() {
        DeviceMemoryNeed need = DeviceMemoryNeed.upperBound(1_000_000, 35_000_000, 64 * 64);

        assertThat(need.sceneBytes()).isEqualTo(DeviceMemoryNeed.FIXED_BYTES + 1_000_000 * DeviceMemoryNeed.BYTES_PER_TRIANGLE
                + 35_000_000L * 5 / 3 + 1);
        assertThat(need.tileBytes()).isEqualTo(64L * 64 * 24);
        assertThat(need.total()).isEqualTo(need.sceneBytes() + need.tileBytes());
        // ten million triangles with a 128 MiB package: about 2.6 GiB, which an 8 GB card holds
        assertThat(DeviceMemoryNeed.upperBound(10_000_000, 128L << 20, 256 * 256).total()).isBetween(2L << 30, 3L << 30);
        // a thousand instances cost their placements, not their mesh's triangles again
        assertThat(DeviceMemoryNeed.upperBound(100_000, 1_000, 3_600_000, 64 * 64).sceneBytes())
                .isEqualTo(DeviceMemoryNeed.upperBound(100_000, 3_600_000, 64 * 64).sceneBytes()
                        + 1_000 * DeviceMemoryNeed.BYTES_PER_INSTANCE);
    }

    @Test
    void negativeFiguresAreRefusedAndBytesReadInMebibytes() {
        assertThatThrownBy(() -> DeviceMemoryNeed.upperBound(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceMemoryNeed(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DeviceMemoryNeed.mib(3L << 19)).isEqualTo("1.5 MiB");
    }
}
