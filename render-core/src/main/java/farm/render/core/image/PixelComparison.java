package farm.render.core.image;

/**
 * Whether two renders of one pixel agree: each linear RGB channel within a relative tolerance, or
 * within an absolute floor for dark values where relative error means nothing.
 */
public record PixelComparison(float relativeTolerance, float absoluteFloor) {
    public static final PixelComparison DEFAULT = new PixelComparison(1e-3f, 1e-4f);

    public boolean matches(float[] a, int aOffset, float[] b, int bOffset) {
        for (int c = 0; c < 3; c++) {
            float x = a[aOffset + c];
            float y = b[bOffset + c];
            if (!Float.isFinite(x) || !Float.isFinite(y)) {
                return false;
            }
            float diff = Math.abs(x - y);
            if (diff > absoluteFloor && diff > relativeTolerance * Math.max(Math.abs(x), Math.abs(y))) {
                return false;
            }
        }
        return true;
    }
}
