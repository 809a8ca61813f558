package farm.render.core.planning;

import java.util.Locale;

/**
 * The device memory one tile task takes on a worker: the scene's buffers as the renderer uploads them, plus the tile's
 * pixel-list and radiance buffers. The coordinator works out {@link #upperBound} at submission from what intake knows
 * (triangles, package bytes) and routes the job's tasks by it; a worker adds the same {@link #tileBytes} to the scene
 * buffers it has packed, so the two never disagree on the tile's part and the worker's figure never exceeds the bound.
 *
 * @param sceneBytes the scene's buffers on the device
 * @param tileBytes  the tile's pixel list and radiance
 */
public record DeviceMemoryNeed(long sceneBytes, long tileBytes) {
    /**
     * Device bytes per triangle, at most: 16 of vertex indices and material id; three vertices of 16 bytes (position
     * and octahedral normal) with 32 of UVs and tangent, should no corner share its vertex (smooth meshes share each
     * vertex between about six corners, so about 41 bytes a triangle is typical); 32 of an area-light entry where the
     * triangle emits; and 64 of a wide hierarchy node (a 4-wide hierarchy over leaves of at least one triangle has
     * fewer nodes than triangles).
     */
    public static final long BYTES_PER_TRIANGLE = 16 + 3 * (16 + 32) + 32 + 64;
    /** Device bytes per instance, at most: its entry in the instance table (seven texels) and a top-level node. */
    public static final long BYTES_PER_INSTANCE = 7 * 16 + 64;
    /**
     * Device bytes per package byte for what is not per triangle, at most 5/3: textures and punctual lights go up as
     * they are stored, materials at most as large, an environment map's 12 bytes a texel become 16 plus its row cdf.
     */
    public static final int PACKAGE_NUMERATOR = 5;
    public static final int PACKAGE_DENOMINATOR = 3;
    /** Device bytes besides: the sRGB table, buffer headers and the placeholders of absent buffers. */
    public static final long FIXED_BYTES = 64L << 10;
    /** Pixel-list bytes per pixel: its x and y. */
    public static final int PIXEL_LIST_BYTES = 8;
    /** Radiance bytes per pixel: one vec4. */
    public static final int RADIANCE_BYTES = 16;
    /** The renderer's tile buffers never hold fewer pixels than a 64x64 tile, so small tiles do not reallocate them. */
    public static final int MIN_BUFFER_PIXELS = 64 * 64;

    public DeviceMemoryNeed {
        if (sceneBytes < 0 || tileBytes < 0) {
            throw new IllegalArgumentException("device memory is not negative");
        }
    }

    /** Scene and tile together, in bytes. */
    public long total() {
        return sceneBytes + tileBytes;
    }

    /** The pixel-list and radiance buffers for {@code pixels} pixels, as the renderer allocates them. */
    public static long tileBytes(long pixels) {
        long held = Math.max(pixels, MIN_BUFFER_PIXELS);
        return held * PIXEL_LIST_BYTES + held * RADIANCE_BYTES;
    }

    /** {@link #upperBound(long, long, long, long)} of a scene without instances. */
    public static DeviceMemoryNeed upperBound(long triangles, long packageBytes, long tilePixels) {
        return upperBound(triangles, 0, packageBytes, tilePixels);
    }

    /**
     * At least what a scene that stores {@code triangles} triangles and places {@code instances} instances, whose package
     * has {@code packageBytes} bytes, takes on the device, plus a tile of {@code tilePixels} pixels. An instance costs its
     * placement, never its mesh's triangles again.
     */
    public static DeviceMemoryNeed upperBound(long triangles, long instances, long packageBytes, long tilePixels) {
        if (triangles < 0 || instances < 0 || packageBytes < 0 || tilePixels < 0) {
            throw new IllegalArgumentException("triangles, instances, package bytes and tile pixels are not negative");
        }
        long scene = FIXED_BYTES + Math.multiplyExact(triangles, BYTES_PER_TRIANGLE)
                + Math.multiplyExact(instances, BYTES_PER_INSTANCE)
                + (Math.multiplyExact(packageBytes, PACKAGE_NUMERATOR) + PACKAGE_DENOMINATOR - 1) / PACKAGE_DENOMINATOR;
        return new DeviceMemoryNeed(scene, tileBytes(tilePixels));
    }

    /** Bytes as people read them in a refusal: MiB with one decimal. */
    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
