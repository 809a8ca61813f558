package farm.render.worker.cli;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.util.tinyexr.TinyEXR.*;

import farm.render.core.image.TileImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.util.tinyexr.EXRChannelInfo;
import org.lwjgl.util.tinyexr.EXRHeader;
import org.lwjgl.util.tinyexr.EXRImage;

/** Linear-light RGB as a 32-bit float OpenEXR file (ZIP compressed), through tinyexr. */
public final class Exr {
    private Exr() {
    }

    public static void write(TileImage image, Path file) throws IOException {
        int w = image.width();
        int h = image.height();
        // OpenEXR readers expect channels sorted by name: B, G, R.
        String[] names = {"B", "G", "R"};
        int[] source = {2, 1, 0};
        FloatBuffer[] planes = new FloatBuffer[3];
        try (MemoryStack stack = stackPush()) {
            for (int c = 0; c < 3; c++) {
                planes[c] = MemoryUtil.memAllocFloat(w * h);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        planes[c].put(y * w + x, image.channel(x, y, source[c]));
                    }
                }
            }
            EXRHeader header = EXRHeader.calloc(stack);
            InitEXRHeader(header);
            EXRChannelInfo.Buffer channels = EXRChannelInfo.calloc(3, stack);
            IntBuffer pixelTypes = stack.mallocInt(3);
            IntBuffer requested = stack.mallocInt(3);
            for (int c = 0; c < 3; c++) {
                ByteBuffer name = stack.calloc(256);
                name.put(0, (byte) names[c].charAt(0));
                channels.get(c).name(name);
                pixelTypes.put(c, TINYEXR_PIXELTYPE_FLOAT);
                requested.put(c, TINYEXR_PIXELTYPE_FLOAT);
            }
            header.num_channels(3).channels(channels).pixel_types(pixelTypes).requested_pixel_types(requested)
                    .compression_type(TINYEXR_COMPRESSIONTYPE_ZIP);
            EXRImage exr = EXRImage.calloc(stack);
            InitEXRImage(exr);
            PointerBuffer pointers = stack.mallocPointer(3);
            for (int c = 0; c < 3; c++) {
                pointers.put(c, MemoryUtil.memAddress(planes[c]));
            }
            exr.num_channels(3).width(w).height(h).images(pointers);
            PointerBuffer err = stack.mallocPointer(1);
            err.put(0, 0L);
            int result = SaveEXRImageToFile(exr, header, file.toString(), err);
            if (result != TINYEXR_SUCCESS) {
                String message = err.get(0) == 0 ? "error " + result : MemoryUtil.memASCII(err.get(0));
                if (err.get(0) != 0) {
                    nFreeEXRErrorMessage(err.get(0));
                }
                throw new IOException("EXR write failed: " + message);
            }
        } finally {
            for (FloatBuffer plane : planes) {
                if (plane != null) {
                    MemoryUtil.memFree(plane);
                }
            }
        }
    }
}
