package farm.render.core.image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Display images: linear RGB to 8-bit sRGB PNG ("Standard" view: clamp, then the sRGB curve). */
public final class Png {
    private Png() {
    }

    public static byte[] encodeSrgb(TileImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int r = toSrgb8(image.channel(x, y, 0));
                int g = toSrgb8(image.channel(x, y, 1));
                int b = toSrgb8(image.channel(x, y, 2));
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** IEC 61966-2-1 sRGB transfer function, after clamping to [0, 1]. */
    static int toSrgb8(float linear) {
        double v = Float.isNaN(linear) ? 0 : Math.min(1, Math.max(0, linear));
        double s = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
        return (int) Math.round(s * 255);
    }
}
