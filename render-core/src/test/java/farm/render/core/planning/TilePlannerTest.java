package farm.render.core.planning;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TilePlannerTest {
    @Test
    void tilesCoverTheFrameExactlyOnce() {
        List<TileRect> tiles = TilePlanner.plan(100, 70, 32);
        assertThat(tiles).hasSize(4 * 3);
        int[] covered = new int[100 * 70];
        for (TileRect t : tiles) {
            for (int y = t.y(); y < t.y() + t.height(); y++) {
                for (int x = t.x(); x < t.x() + t.width(); x++) {
                    covered[y * 100 + x]++;
                }
            }
        }
        assertThat(covered).containsOnly(1);
        assertThat(tiles.get(tiles.size() - 1)).isEqualTo(new TileRect(96, 64, 4, 6));
    }

    @Test
    void absurdSettingsAreRefusedWithEveryReason() {
        assertThatThrownBy(() -> new RenderSettings(0, 100_000, 0, 8, 64, 1))
                .hasMessageContaining("width")
                .hasMessageContaining("height")
                .hasMessageContaining("spp");
    }
}
