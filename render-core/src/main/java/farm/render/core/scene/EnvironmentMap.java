package farm.render.core.scene;

/**
 * An equirectangular environment: linear RGB radiance, rows from straight up (+Y) to straight down,
 * columns around +Y with the image's centre column looking down −Z (the default glTF camera's view)
 * and u growing towards +X. Replaces the uniform environment when present.
 *
 * @param rgb width × height × 3 floats, already multiplied by the strength the scene asks for
 */
public record EnvironmentMap(int width, int height, float[] rgb) {
    public static final EnvironmentMap NONE = new EnvironmentMap(0, 0, new float[0]);
    public static final int MAX_SIDE = 8192;

    public EnvironmentMap {
        if (width < 0 || height < 0 || width > MAX_SIDE || height > MAX_SIDE || (long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("environment map of " + width + "x" + height + " needs "
                    + (long) width * height * 3 + " floats, has " + rgb.length);
        }
        for (float f : rgb) {
            if (!(f >= 0) || !Float.isFinite(f)) {
                throw new IllegalArgumentException("environment radiance must be finite and not negative");
            }
        }
    }

    public boolean present() {
        return width > 0 && height > 0;
    }
}
