package farm.render.core.image;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Linear float RGB pixels of a tile or frame, row-major from the top left, and their byte encoding
 * for storage: "RFTILE\0\0", int version, int width, int height, then width × height × 3
 * little-endian floats.
 */
public record TileImage(int width, int height, float[] rgb) {
    private static final byte[] MAGIC = "RFTILE\0\0".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int HEADER = MAGIC.length + 12;

    public TileImage {
        if (width <= 0 || height <= 0 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("pixel array does not match " + width + "x" + height);
        }
    }

    public float channel(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c];
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(HEADER + rgb.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(width).putInt(height);
        out.asFloatBuffer().put(rgb);
        return out.array();
    }

    public static TileImage decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC) || in.getInt() != VERSION) {
                throw new IllegalArgumentException("not a tile image");
            }
            int w = in.getInt();
            int h = in.getInt();
            if (w <= 0 || h <= 0 || (long) w * h * 12 != in.remaining()) {
                throw new IllegalArgumentException("tile image size does not match its header");
            }
            float[] rgb = new float[w * h * 3];
            in.asFloatBuffer().get(rgb);
            return new TileImage(w, h, rgb);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("tile image is truncated");
        }
    }
}
