package farm.render.core.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExrTest {
    /** A frame with smooth gradients, flat areas, HDR highlights above 1 and exact zeros, as renders have. */
    static TileImage frame(int w, int h, long seed) {
        Random random = new Random(seed);
        float[] rgb = new float[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rgb[i] = x / (float) w;
                rgb[i + 1] = y < h / 2 ? 0f : 4f * random.nextFloat();
                rgb[i + 2] = (x + y) % 7 == 0 ? 0.25f : random.nextFloat() * 0.01f;
            }
        }
        return new TileImage(w, h, rgb);
    }

    @Test
    void theHeaderNamesFloatChannelsBGRAndTheSize() {
        byte[] file = Exr.encode(frame(37, 21, 1));
        Exr.Header header = Exr.header(file);
        assertThat(header.width()).isEqualTo(37);
        assertThat(header.height()).isEqualTo(21);
        assertThat(header.channels()).containsExactly("B", "G", "R");
        assertThat(header.allFloat()).isTrue();
        assertThat(header.compression()).isEqualTo(3); // ZIP, 16 lines a block
    }

    @Test
    void everyFloatComesBackBitForBitAndTheFileIsCompressed() {
        TileImage image = frame(64, 50, 2);
        byte[] file = Exr.encode(image);
        TileImage back = Exr.decode(file);
        assertThat(back.width()).isEqualTo(64);
        assertThat(back.height()).isEqualTo(50);
        assertThat(back.rgb()).containsExactly(image.rgb());
        assertThat(file.length).isLessThan(image.rgb().length * 4);
    }

    @Test
    void theLinearValuesAreThePngsAfterTheSrgbCurveWithinRounding() throws Exception {
        TileImage image = frame(32, 32, 3);
        TileImage linear = Exr.decode(Exr.encode(image));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Png.encodeSrgb(image)));
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int argb = png.getRGB(x, y);
                int[] srgb = {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff};
                for (int c = 0; c < 3; c++) {
                    double v = Math.min(1, Math.max(0, linear.channel(x, y, c)));
                    double curve = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
                    assertThat(Math.abs(curve * 255 - srgb[c])).as("pixel %d,%d channel %d", x, y, c).isLessThanOrEqualTo(0.5);
                }
            }
        }
    }

    @Test
    void somethingElseIsRefusedWithAReason() {
        assertThatThrownBy(() -> Exr.decode(Png.encodeSrgb(frame(4, 4, 4)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("magic");
        byte[] truncated = java.util.Arrays.copyOf(Exr.encode(frame(8, 8, 5)), 40);
        assertThatThrownBy(() -> Exr.decode(truncated)).isInstanceOf(RuntimeException.class);
    }
}
