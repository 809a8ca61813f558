package farm.render.worker.render;

/**
 * What to render of one frame: the full image size (the camera's aspect and pixel grid), the frame
 * number and seed (both feed every random number), samples per pixel and the path length limit.
 *
 * @param maxBounces    surface interactions that may scatter; 0 shows only directly visible emitters,
 *                      1 adds direct lighting
 * @param clampIndirect largest radiance (per channel) one sample's indirect light may add; 0: no clamp
 */
public record FrameRequest(int imageWidth, int imageHeight, int frame, int spp, int maxBounces, long seed,
                           float clampIndirect) {
    /** Upper bounds that keep one request within what a worker can finish. */
    public static final int MAX_DIMENSION = 16384;
    public static final int MAX_SPP = 1 << 16;
    public static final int MAX_BOUNCES = 64;

    public FrameRequest {
        if (imageWidth <= 0 || imageHeight <= 0 || imageWidth > MAX_DIMENSION || imageHeight > MAX_DIMENSION) {
            throw new IllegalArgumentException("image size " + imageWidth + "x" + imageHeight
                    + " must be within 1.." + MAX_DIMENSION + " on each side");
        }
        if (frame < 0) {
            throw new IllegalArgumentException("frame " + frame + " must not be negative");
        }
        if (spp <= 0 || spp > MAX_SPP) {
            throw new IllegalArgumentException("spp " + spp + " must be within 1.." + MAX_SPP);
        }
        if (maxBounces < 0 || maxBounces > MAX_BOUNCES) {
            throw new IllegalArgumentException("maxBounces " + maxBounces + " must be within 0.." + MAX_BOUNCES);
        }
        if (!(clampIndirect >= 0) || !Float.isFinite(clampIndirect)) {
            throw new IllegalArgumentException("clampIndirect " + clampIndirect + " must be 0 (off) or positive");
        }
    }

    /** A request without a radiance clamp. */
    public FrameRequest(int imageWidth, int imageHeight, int frame, int spp, int maxBounces, long seed) {
        this(imageWidth, imageHeight, frame, spp, maxBounces, seed, 0f);
    }
}
