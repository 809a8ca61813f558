package farm.render.worker.render;

import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;

/**
 * Renders pixels of a frame. The same pixel of the same scene and request gives bit-identical
 * values whether it is rendered as part of a tile or on its own, on the same device and driver.
 * Implementations are used by one thread at a time.
 */
public interface TileRenderer extends AutoCloseable {

    /** Renders the pixels of {@code rect}, which must lie inside the request's image. */
    TileImage renderTile(Scene scene, String sceneKey, FrameRequest request, TileRect rect);

    /** xy = x0,y0,x1,y1,…; returns 3 floats per pixel in the same order. */
    float[] renderPixels(Scene scene, String sceneKey, FrameRequest request, int[] xy);

    /** The device that renders, as the driver names it (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"). */
    String deviceName();

    /**
     * Device memory, in bytes, that rendering {@code pixels} pixels of {@code scene} needs: the
     * scene's buffers as uploaded plus the pixel list and radiance buffers.
     */
    long deviceBytes(Scene scene, String sceneKey, int pixels);

    /** The largest device-local memory heap the device reports, in bytes. */
    long deviceMemoryBytes();

    @Override
    void close();
}
