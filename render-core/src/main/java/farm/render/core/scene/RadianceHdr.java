package farm.render.core.scene;

import java.nio.charset.StandardCharsets;

/**
 * Decodes a Radiance RGBE (.hdr) image (Greg Ward, "Real Pixels", Graphics Gems II, 1991): a text
 * header, a resolution line "-Y height +X width", then flat or adaptive run-length encoded scanlines.
 */
final class RadianceHdr {
    private RadianceHdr() {
    }

    static boolean looksLikeHdr(byte[] b) {
        return b != null && b.length > 10 && b[0] == '#' && b[1] == '?';
    }

    /** Linear RGB, rows top to bottom, times {@code scale}. */
    static EnvironmentMap decode(byte[] b, float scale) throws InvalidSceneException {
        if (!looksLikeHdr(b)) {
            throw new InvalidSceneException("the environment image is not a Radiance .hdr file (no '#?' signature)");
        }
        int pos = 0;
        String resolution = null;
        boolean rgbe = true;
        while (pos < b.length) {
            int end = pos;
            while (end < b.length && b[end] != '\n') {
                end++;
            }
            String line = new String(b, pos, Math.min(end - pos, 256), StandardCharsets.US_ASCII).trim();
            pos = end + 1;
            if (line.startsWith("FORMAT=")) {
                rgbe = line.equals("FORMAT=32-bit_rle_rgbe");
            } else if (line.startsWith("-Y ") || line.startsWith("+Y ")) {
                resolution = line;
                break;
            }
        }
        if (!rgbe) {
            throw new InvalidSceneException("the environment image is not in 32-bit RGBE format (XYZE is not supported)");
        }
        String[] parts = resolution == null ? new String[0] : resolution.split("\\s+");
        if (parts.length != 4 || !parts[0].equals("-Y") || !parts[2].equals("+X")) {
            throw new InvalidSceneException("the environment image's resolution line must read '-Y height +X width'");
        }
        int height;
        int width;
        try {
            height = Integer.parseInt(parts[1]);
            width = Integer.parseInt(parts[3]);
        } catch (NumberFormatException e) {
            throw new InvalidSceneException("the environment image's resolution line is not numeric");
        }
        if (width < 1 || height < 1 || width > EnvironmentMap.MAX_SIDE || height > EnvironmentMap.MAX_SIDE
                || (long) width * height > (long) EnvironmentMap.MAX_SIDE * EnvironmentMap.MAX_SIDE / 2) {
            throw new InvalidSceneException("the environment image is " + width + " x " + height
                    + " pixels; the limit is " + EnvironmentMap.MAX_SIDE + " x " + EnvironmentMap.MAX_SIDE / 2);
        }
        float[] rgb = new float[width * height * 3];
        byte[] line = new byte[width * 4];
        for (int y = 0; y < height; y++) {
            pos = scanline(b, pos, line, width);
            for (int x = 0; x < width; x++) {
                int e = line[x * 4 + 3] & 0xFF;
                // RGBE: value = (mantissa + 0.5) / 256 * 2^(e - 128); exponent 0 is black.
                float f = e == 0 ? 0f : Math.scalb(1f, e - 136) * scale;
                int o = (y * width + x) * 3;
                rgb[o] = e == 0 ? 0f : ((line[x * 4] & 0xFF) + 0.5f) * f;
                rgb[o + 1] = e == 0 ? 0f : ((line[x * 4 + 1] & 0xFF) + 0.5f) * f;
                rgb[o + 2] = e == 0 ? 0f : ((line[x * 4 + 2] & 0xFF) + 0.5f) * f;
            }
        }
        return new EnvironmentMap(width, height, rgb);
    }

    /** Reads one scanline of RGBE quadruples into {@code out}; returns the position after it. */
    private static int scanline(byte[] b, int pos, byte[] out, int width) throws InvalidSceneException {
        need(b, pos, 4);
        boolean adaptive = width >= 8 && width < 32768 && b[pos] == 2 && b[pos + 1] == 2 && (b[pos + 2] & 0x80) == 0
                && (((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF)) == width;
        if (!adaptive) {
            need(b, pos, width * 4);
            System.arraycopy(b, pos, out, 0, width * 4);
            return pos + width * 4;
        }
        pos += 4;
        // Adaptive RLE: each of the four channels in turn, runs (count > 128: repeat) or literals.
        for (int c = 0; c < 4; c++) {
            int x = 0;
            while (x < width) {
                need(b, pos, 1);
                int count = b[pos++] & 0xFF;
                if (count > 128) {
                    count -= 128;
                    need(b, pos, 1);
                    if (count > width - x) {
                        throw new InvalidSceneException("the environment image's run-length data overruns a scanline");
                    }
                    byte v = b[pos++];
                    for (int i = 0; i < count; i++) {
                        out[(x++) * 4 + c] = v;
                    }
                } else {
                    if (count == 0 || count > width - x) {
                        throw new InvalidSceneException("the environment image's run-length data overruns a scanline");
                    }
                    need(b, pos, count);
                    for (int i = 0; i < count; i++) {
                        out[(x++) * 4 + c] = b[pos++];
                    }
                }
            }
        }
        return pos;
    }

    private static void need(byte[] b, int pos, int n) throws InvalidSceneException {
        if (pos + (long) n > b.length) {
            throw new InvalidSceneException("the environment image is truncated");
        }
    }
}
