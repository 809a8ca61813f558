package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * Checks an upload's container before any native code parses it: a GLB's header and chunk lengths
 * must match the file, and no image may declare more pixels than {@link #MAX_IMAGE_SIDE} squared,
 * so lying length fields and decompression bombs are refused with a reason instead of trusted.
 */
final class SourceChecks {
    static final int MAX_IMAGE_SIDE = 16_384;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GLB_MAGIC = 0x46546C67;
    private static final int JSON_CHUNK = 0x4E4F534A;
    private static final int BIN_CHUNK = 0x004E4942;

    private SourceChecks() {
    }

    static void check(byte[] source, String ext) throws InvalidSceneException {
        switch (ext) {
            case "glb" -> checkGlb(source);
            case "gltf" -> checkImages(parse(source), null);
            default -> {
                // other formats are checked by their importer and by the import's limits
            }
        }
    }

    /** The checks that need only the first bytes and the length: a file on disk is refused without reading it whole. */
    static void checkHeader(Path source, String ext) throws InvalidSceneException, IOException {
        if (!ext.equals("glb")) {
            return;
        }
        long size = Files.size(source);
        byte[] head = new byte[(int) Math.min(size, 20)];
        try (InputStream in = Files.newInputStream(source)) {
            in.readNBytes(head, 0, head.length);
        }
        checkGlbHeader(head, size);
    }

    private static void checkGlbHeader(byte[] head, long size) throws InvalidSceneException {
        if (size < 20 || head.length < 12) {
            throw new InvalidSceneException("the GLB file is shorter than its 20-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(0) != GLB_MAGIC) {
            throw new InvalidSceneException("the file does not start with the GLB magic 'glTF'");
        }
        if (in.getInt(4) != 2) {
            throw new InvalidSceneException("GLB version " + in.getInt(4) + " is not supported (only 2)");
        }
        long declared = Integer.toUnsignedLong(in.getInt(8));
        if (declared != size) {
            throw new InvalidSceneException("the GLB header says " + declared + " bytes but the file has " + size
                    + " (truncated or corrupt)");
        }
    }

    private static void checkGlb(byte[] source) throws InvalidSceneException {
        checkGlbHeader(source, source.length);
        ByteBuffer in = ByteBuffer.wrap(source).order(ByteOrder.LITTLE_ENDIAN);
        JsonNode json = null;
        byte[] bin = null;
        int offset = 12;
        while (offset < source.length) {
            if (source.length - offset < 8) {
                throw new InvalidSceneException("a GLB chunk header at byte " + offset + " is cut off");
            }
            long length = Integer.toUnsignedLong(in.getInt(offset));
            int type = in.getInt(offset + 4);
            if (length > source.length - offset - 8L) {
                throw new InvalidSceneException("a GLB chunk at byte " + offset + " claims " + length
                        + " bytes, more than the file holds");
            }
            byte[] data = Arrays.copyOfRange(source, offset + 8, offset + 8 + (int) length);
            if (type == JSON_CHUNK && json == null) {
                json = parse(data);
            } else if (type == BIN_CHUNK && bin == null) {
                bin = data;
            }
            offset += 8 + (int) length;
        }
        if (json == null) {
            throw new InvalidSceneException("the GLB file has no JSON chunk");
        }
        checkImages(json, bin);
    }

    private static JsonNode parse(byte[] json) throws InvalidSceneException {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidSceneException("the glTF JSON is malformed: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void checkImages(JsonNode doc, byte[] bin) throws InvalidSceneException {
        JsonNode images = doc == null ? null : doc.path("images");
        if (images == null || !images.isArray()) {
            return;
        }
        for (int i = 0; i < images.size(); i++) {
            byte[] head = imageHead(doc, images.get(i), bin);
            if (head != null) {
                long[] size = declaredSize(head);
                if (size != null && (size[0] > MAX_IMAGE_SIDE || size[1] > MAX_IMAGE_SIDE)) {
                    throw new InvalidSceneException("image " + i + " declares " + size[0] + " x " + size[1]
                            + " pixels; the limit is " + MAX_IMAGE_SIDE + " on each side");
                }
            }
        }
    }

    /** The first bytes of an embedded image (data URI or GLB buffer view); null for anything else. */
    private static byte[] imageHead(JsonNode doc, JsonNode image, byte[] bin) {
        String uri = image.path("uri").asText("");
        if (uri.startsWith("data:") && uri.contains(",")) {
            String payload = uri.substring(uri.indexOf(',') + 1);
            String prefix = payload.substring(0, Math.min(payload.length(), 1024));
            try {
                return Base64.getDecoder().decode(prefix.substring(0, prefix.length() / 4 * 4));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (image.has("bufferView") && bin != null) {
            JsonNode view = doc.path("bufferViews").path(image.path("bufferView").asInt(-1));
            long start = view.path("byteOffset").asLong(0);
            if (view.path("buffer").asInt(-1) == 0 && start >= 0 && start < bin.length) {
                return Arrays.copyOfRange(bin, (int) start, (int) Math.min(bin.length, start + 1024));
            }
        }
        return null;
    }

    /** Width and height from a PNG IHDR or a JPEG SOF header; null when neither is recognised. */
    private static long[] declaredSize(byte[] h) {
        if (h.length >= 24 && (h[0] & 0xFF) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
            ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.BIG_ENDIAN);
            return new long[]{Integer.toUnsignedLong(b.getInt(16)), Integer.toUnsignedLong(b.getInt(20))};
        }
        if (h.length >= 4 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8) {
            int i = 2;
            while (i + 9 < h.length && (h[i] & 0xFF) == 0xFF) {
                int marker = h[i + 1] & 0xFF;
                int length = ((h[i + 2] & 0xFF) << 8) | (h[i + 3] & 0xFF);
                if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                    long height = ((h[i + 5] & 0xFF) << 8) | (h[i + 6] & 0xFF);
                    long width = ((h[i + 7] & 0xFF) << 8) | (h[i + 8] & 0xFF);
                    return new long[]{width, height};
                }
                i += 2 + length;
            }
        }
        return null;
    }
}
