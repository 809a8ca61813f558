package farm.render.core.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Linear-light RGB as an OpenEXR 2 file: single part, scanlines, 32-bit float channels B, G, R (sorted by
 * name, as readers expect), ZIP compression in blocks of 16 lines. Plain Java, so the coordinator writes
 * frames without native code; {@link #decode} reads the files this class writes (and uncompressed ones).
 * Layout per the OpenEXR file layout document: magic, version, header attributes, offset table, chunks.
 */
public final class Exr {
    private static final int MAGIC = 20000630;
    private static final int VERSION = 2;
    private static final int PIXEL_FLOAT = 2;
    private static final int NO_COMPRESSION = 0;
    private static final int ZIPS_COMPRESSION = 2;
    private static final int ZIP_COMPRESSION = 3;
    private static final int ZIP_LINES = 16;
    /** Channels in file order (by name) and the TileImage channel each holds. */
    private static final String[] CHANNELS = {"B", "G", "R"};
    private static final int[] SOURCE = {2, 1, 0};

    private Exr() {
    }

    /** What a file's header says: its size, its channels (in file order) and their pixel types, its compression. */
    public record Header(int width, int height, List<String> channels, List<Integer> pixelTypes, int compression) {
        /** Whether every channel holds 32-bit floats. */
        public boolean allFloat() {
            return pixelTypes.stream().allMatch(t -> t == PIXEL_FLOAT);
        }
    }

    /** The image as an EXR file's bytes. */
    public static byte[] encode(TileImage image) {
        int w = image.width();
        int h = image.height();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        LittleEndian out = new LittleEndian(header);
        out.int32(MAGIC);
        out.int32(VERSION);
        ByteArrayOutputStream channels = new ByteArrayOutputStream();
        LittleEndian ch = new LittleEndian(channels);
        for (String name : CHANNELS) {
            ch.text(name);
            ch.int32(PIXEL_FLOAT);
            ch.bytes(new byte[4]); // pLinear, reserved
            ch.int32(1);
            ch.int32(1);
        }
        ch.bytes(new byte[1]);
        out.attribute("channels", "chlist", channels.toByteArray());
        out.attribute("compression", "compression", new byte[] {ZIP_COMPRESSION});
        out.attribute("dataWindow", "box2i", box(w, h));
        out.attribute("displayWindow", "box2i", box(w, h));
        out.attribute("lineOrder", "lineOrder", new byte[] {0});
        out.attribute("pixelAspectRatio", "float", le(4).putFloat(1f).array());
        out.attribute("screenWindowCenter", "v2f", le(8).putFloat(0f).putFloat(0f).array());
        out.attribute("screenWindowWidth", "float", le(4).putFloat(1f).array());
        out.bytes(new byte[1]);

        int blocks = (h + ZIP_LINES - 1) / ZIP_LINES;
        List<byte[]> chunks = new ArrayList<>(blocks);
        for (int b = 0; b < blocks; b++) {
            int y0 = b * ZIP_LINES;
            int lines = Math.min(ZIP_LINES, h - y0);
            ByteBuffer raw = le(lines * w * CHANNELS.length * 4);
            for (int y = y0; y < y0 + lines; y++) {
                for (int c = 0; c < CHANNELS.length; c++) {
                    for (int x = 0; x < w; x++) {
                        raw.putFloat(image.channel(x, y, SOURCE[c]));
                    }
                }
            }
            byte[] data = zip(raw.array());
            chunks.add(le(8 + data.length).putInt(y0).putInt(data.length).put(data).array());
        }
        long offset = header.size() + 8L * blocks;
        for (byte[] chunk : chunks) {
            out.int64(offset);
            offset += chunk.length;
        }
        for (byte[] chunk : chunks) {
            out.bytes(chunk);
        }
        return header.toByteArray();
    }

    /** The header of an EXR file. */
    public static Header header(byte[] file) {
        return parse(ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Reads a single-part scanline EXR of float R, G and B channels (uncompressed, ZIPS or ZIP). */
    public static TileImage decode(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        Header h = parse(in);
        if (!h.allFloat() || !h.channels().containsAll(List.of("R", "G", "B"))) {
            throw new IllegalArgumentException("not float R, G, B channels: " + h.channels() + " " + h.pixelTypes());
        }
        int linesPerBlock = switch (h.compression()) {
            case NO_COMPRESSION, ZIPS_COMPRESSION -> 1;
            case ZIP_COMPRESSION -> ZIP_LINES;
            default -> throw new IllegalArgumentException("unsupported EXR compression " + h.compression());
        };
        int w = h.width();
        int blocks = (h.height() + linesPerBlock - 1) / linesPerBlock;
        long[] offsets = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            offsets[b] = in.getLong();
        }
        float[] rgb = new float[w * h.height() * 3];
        int n = h.channels().size();
        for (int b = 0; b < blocks; b++) {
            in.position(Math.toIntExact(offsets[b]));
            int y0 = in.getInt();
            int size = in.getInt();
            byte[] data = new byte[size];
            in.get(data);
            int lines = Math.min(linesPerBlock, h.height() - y0);
            int expected = lines * w * n * 4;
            ByteBuffer raw = ByteBuffer.wrap(size == expected ? data : unzip(data, expected)).order(ByteOrder.LITTLE_ENDIAN);
            for (int y = y0; y < y0 + lines; y++) {
                for (int c = 0; c < n; c++) {
                    int target = switch (h.channels().get(c)) {
                        case "R" -> 0;
                        case "G" -> 1;
                        case "B" -> 2;
                        default -> -1;
                    };
                    for (int x = 0; x < w; x++) {
                        float v = raw.getFloat();
                        if (target >= 0) {
                            rgb[(y * w + x) * 3 + target] = v;
                        }
                    }
                }
            }
        }
        return new TileImage(w, h.height(), rgb);
    }

    private static Header parse(ByteBuffer in) {
        if (in.remaining() < 8 || in.getInt() != MAGIC) {
            throw new IllegalArgumentException("not an OpenEXR file (wrong magic number)");
        }
        int version = in.getInt();
        if ((version & 0xff) != VERSION || (version & 0x1e00) != 0) {
            throw new IllegalArgumentException("not a single-part scanline OpenEXR 2 file (version field " + version + ")");
        }
        List<String> channels = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        int compression = -1;
        int[] window = null;
        while (true) {
            String name = text(in);
            if (name.isEmpty()) {
                break;
            }
            String type = text(in);
            int size = in.getInt();
            ByteBuffer value = in.slice(in.position(), size).order(ByteOrder.LITTLE_ENDIAN);
            in.position(in.position() + size);
            switch (name) {
                case "channels" -> {
                    while (true) {
                        String channel = text(value);
                        if (channel.isEmpty()) {
                            break;
                        }
                        channels.add(channel);
                        types.add(value.getInt());
                        value.position(value.position() + 12); // pLinear, reserved, x and y sampling
                    }
                }
                case "compression" -> compression = value.get() & 0xff;
                case "dataWindow" -> window = new int[] {value.getInt(), value.getInt(), value.getInt(), value.getInt()};
                default -> {
                    // other attributes do not change how pixels are read
                }
            }
        }
        if (window == null || channels.isEmpty() || compression < 0) {
            throw new IllegalArgumentException("EXR header lacks channels, compression or dataWindow");
        }
        return new Header(window[2] - window[0] + 1, window[3] - window[1] + 1, List.copyOf(channels), List.copyOf(types),
                compression);
    }

    /** ZIP compression as OpenEXR defines it: bytes split into even and odd halves, delta-coded, then zlib. */
    private static byte[] zip(byte[] raw) {
        int n = raw.length;
        byte[] t = new byte[n];
        int half = (n + 1) / 2;
        for (int i = 0; i < n; i++) {
            t[(i % 2 == 0) ? i / 2 : half + i / 2] = raw[i];
        }
        int previous = t[0];
        for (int i = 1; i < n; i++) {
            int current = t[i];
            t[i] = (byte) (current - previous + 128);
            previous = current;
        }
        Deflater deflater = new Deflater();
        deflater.setInput(t);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n / 2);
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.size() < n ? out.toByteArray() : raw; // a block that does not shrink is stored as is
    }

    private static byte[] unzip(byte[] data, int expected) {
        byte[] t = new byte[expected];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            int got = 0;
            while (got < expected && !inflater.finished()) {
                int k = inflater.inflate(t, got, expected - got);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                got += k;
            }
            if (got != expected) {
                throw new IllegalArgumentException("EXR block inflates to " + got + " bytes, not " + expected);
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("EXR block is not valid zlib data: " + e.getMessage());
        } finally {
            inflater.end();
        }
        for (int i = 1; i < expected; i++) {
            t[i] = (byte) (t[i - 1] + t[i] - 128);
        }
        byte[] raw = new byte[expected];
        int half = (expected + 1) / 2;
        for (int i = 0; i < expected; i++) {
            raw[i] = t[(i % 2 == 0) ? i / 2 : half + i / 2];
        }
        return raw;
    }

    private static byte[] box(int w, int h) {
        return le(16).putInt(0).putInt(0).putInt(w - 1).putInt(h - 1).array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String text(ByteBuffer in) {
        int start = in.position();
        while (in.get() != 0) {
            if (in.position() - start > 255) {
                throw new IllegalArgumentException("EXR header name longer than 255 bytes");
            }
        }
        byte[] bytes = Arrays.copyOfRange(in.array(), in.arrayOffset() + start, in.arrayOffset() + in.position() - 1);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** Little-endian writes to a byte stream. */
    private record LittleEndian(ByteArrayOutputStream out) {
        void int32(int v) {
            out.writeBytes(le(4).putInt(v).array());
        }

        void int64(long v) {
            out.writeBytes(le(8).putLong(v).array());
        }

        void bytes(byte[] b) {
            out.writeBytes(b);
        }

        void text(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        }

        void attribute(String name, String type, byte[] value) {
            text(name);
            text(type);
            int32(value.length);
            bytes(value);
        }
    }
}
