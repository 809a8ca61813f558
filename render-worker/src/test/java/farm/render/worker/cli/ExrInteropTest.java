package farm.render.worker.cli;

import farm.render.core.image.Exr;
import farm.render.core.image.TileImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.system.libc.LibCStdlib;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lwjgl.util.tinyexr.TinyEXR.nLoadEXRWithLayer;
import static org.lwjgl.util.tinyexr.TinyEXR.TINYEXR_SUCCESS;
import static org.lwjgl.util.tinyexr.TinyEXR.nFreeEXRErrorMessage;

/** The farm's EXR files, written in plain Java, read by an independent reader (tinyexr) with the same pixels. */
class ExrInteropTest {
    @Test
    void tinyexrReadsTheFramesExrWritesPixelForPixel(@TempDir Path dir) throws Exception {
        int w = 45;
        int h = 37; // not a multiple of the 16-line ZIP block
        float[] rgb = new float[w * h * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (i % 3 == 0) ? (i % 97) / 13f : (float) Math.sin(i) * 0.5f + 0.5f;
        }
        Path file = Files.write(dir.resolve("frame.exr"), Exr.encode(new TileImage(w, h, rgb)));
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer out = stack.mallocPointer(1);
            IntBuffer width = stack.mallocInt(1);
            IntBuffer height = stack.mallocInt(1);
            PointerBuffer err = stack.mallocPointer(1);
            err.put(0, 0L);
            int result = nLoadEXRWithLayer(out.address(), MemoryUtil.memAddress(width), MemoryUtil.memAddress(height),
                MemoryUtil.memAddress(stack.ASCII(file.toString())), 0L, err.address()); // no layer: the RGB(A) channels
            String message = err.get(0) == 0 ? "" : MemoryUtil.memASCII(err.get(0));
            if (err.get(0) != 0) {
                nFreeEXRErrorMessage(err.get(0));
            }
            assertThat(result).as(message).isEqualTo(TINYEXR_SUCCESS);
            assertThat(width.get(0)).isEqualTo(w);
            assertThat(height.get(0)).isEqualTo(h);
            FloatBuffer rgba = MemoryUtil.memFloatBuffer(out.get(0), w * h * 4);
            for (int p = 0; p < w * h; p++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(rgba.get(p * 4 + c)).as("pixel %d channel %d", p, c).isEqualTo(rgb[p * 3 + c]);
                }
            }
            LibCStdlib.nfree(out.get(0));
        }
    }
}
