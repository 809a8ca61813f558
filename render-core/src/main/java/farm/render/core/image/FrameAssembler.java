package farm.render.core.image;

import farm.render.core.planning.TileRect;

/** Pastes tiles into a frame. */
public final class FrameAssembler {
    private final TileImage frame;

    public FrameAssembler(int width, int height) {
        this.frame = new TileImage(width, height, new float[width * height * 3]);
    }

    public void paste(TileRect rect, TileImage tile) {
        if (tile.width() != rect.width() || tile.height() != rect.height()
                || rect.x() + rect.width() > frame.width() || rect.y() + rect.height() > frame.height()) {
            throw new IllegalArgumentException("tile " + tile.width() + "x" + tile.height() + " does not fit " + rect);
        }
        for (int row = 0; row < rect.height(); row++) {
            System.arraycopy(tile.rgb(), row * rect.width() * 3, frame.rgb(),
                    ((rect.y() + row) * frame.width() + rect.x()) * 3, rect.width() * 3);
        }
    }

    public TileImage frame() {
        return frame;
    }
}
