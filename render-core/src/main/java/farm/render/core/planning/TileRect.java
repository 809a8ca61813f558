package farm.render.core.planning;

/** A rectangle of pixels within a frame; the unit of work a worker renders and is paid for. */
public record TileRect(int x, int y, int width, int height) {
    public TileRect {
        if (x < 0 || y < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("invalid tile " + x + "," + y + " " + width + "x" + height);
        }
    }

    public int pixelCount() {
        return width * height;
    }
}
