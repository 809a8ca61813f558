package farm.render.core.wire;

/**
 * Directed work a claim hands a worker in place of a ticket: re-render these pixels of another worker's tile, which a
 * worker of an equivalent numerical class rendered, and report them signed. The pixels are image coordinates drawn by
 * the coordinator after the result existed; some belong to tiles whose value the coordinator already knows, and the
 * assignment does not say which, nor which tile the others belong to.
 *
 * @param checkId the check the report must name
 * @param xy      image coordinates, x then y for each pixel
 */
public record PeerCheckAssignment(long checkId, String sceneDigest, String sceneUrl, String rendererVersion, int imageWidth,
                                  int imageHeight, int frame, int spp, int maxBounces, long seed, float clampIndirect,
                                  int[] xy) {
    /** Pixels one check names at most. */
    public static final int MAX_PIXELS = 4096;

    public int pixelCount() {
        return xy == null ? 0 : xy.length / 2;
    }
}
