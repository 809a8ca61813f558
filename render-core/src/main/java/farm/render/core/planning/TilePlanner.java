package farm.render.core.planning;

import java.util.ArrayList;
import java.util.List;

/** Splits a frame into tiles, row by row from the top left; edge tiles take what is left. */
public final class TilePlanner {
    private TilePlanner() {
    }

    public static List<TileRect> plan(int width, int height, int tileSize) {
        List<TileRect> tiles = new ArrayList<>();
        for (int y = 0; y < height; y += tileSize) {
            for (int x = 0; x < width; x += tileSize) {
                tiles.add(new TileRect(x, y, Math.min(tileSize, width - x), Math.min(tileSize, height - y)));
            }
        }
        return tiles;
    }

    public static List<TileRect> plan(RenderSettings settings) {
        return plan(settings.width(), settings.height(), settings.tileSize());
    }
}
