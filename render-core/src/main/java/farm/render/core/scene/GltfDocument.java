package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * A glTF document's JSON and its embedded binary data (a GLB's BIN chunk, data-URI buffers), for what
 * Assimp does not expose: document extras, material extensions, samplers and the image bytes.
 */
final class GltfDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode json;
    private final byte[] glbBinary;

    private GltfDocument(JsonNode json, byte[] glbBinary) {
        this.json = json;
        this.glbBinary = glbBinary;
    }

    /** The document of a .gltf or .glb file; null for other formats or a file Assimp will refuse anyway. */
    static GltfDocument read(byte[] source, String extension) {
        try {
            if (extension.equals("gltf")) {
                return new GltfDocument(JSON.readTree(source), null);
            }
            // GLB: 12-byte header, then a chunk (length, type "JSON") holding the document, then an optional BIN chunk.
            if (extension.equals("glb") && source.length >= 20) {
                ByteBuffer in = ByteBuffer.wrap(source).order(ByteOrder.LITTLE_ENDIAN);
                int length = in.getInt(12);
                if (in.getInt(16) == 0x4E4F534A && length > 0 && length <= source.length - 20) {
                    JsonNode doc = JSON.readTree(Arrays.copyOfRange(source, 20, 20 + length));
                    byte[] bin = null;
                    int next = 20 + length;
                    if ((long) next + 8 <= source.length && in.getInt(next + 4) == 0x004E4942) {
                        int binLength = in.getInt(next);
                        if (binLength >= 0 && binLength <= source.length - next - 8) {
                            bin = Arrays.copyOfRange(source, next + 8, next + 8 + binLength);
                        }
                    }
                    return new GltfDocument(doc, bin);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Assimp reports malformed files with its own reason.
        }
        return null;
    }

    JsonNode json() {
        return json;
    }

    /** A GLB's BIN chunk; null for .gltf files and GLBs without one. */
    byte[] glbBinary() {
        return glbBinary;
    }

    /** The bytes of image {@code index} (a data URI or a buffer view), or null when they are not in the upload. */
    byte[] imageBytes(int index) {
        JsonNode image = json.path("images").path(index);
        String uri = image.path("uri").asText("");
        if (uri.startsWith("data:")) {
            return dataUri(uri);
        }
        if (image.has("bufferView")) {
            return bufferView(image.path("bufferView").asInt(-1));
        }
        return null;
    }

    private byte[] bufferView(int index) {
        JsonNode view = json.path("bufferViews").path(index);
        if (view.isMissingNode()) {
            return null;
        }
        byte[] buffer = buffer(view.path("buffer").asInt(-1));
        long offset = view.path("byteOffset").asLong(0);
        long length = view.path("byteLength").asLong(-1);
        if (buffer == null || offset < 0 || length < 0 || offset + length > buffer.length) {
            return null;
        }
        return Arrays.copyOfRange(buffer, (int) offset, (int) (offset + length));
    }

    private byte[] buffer(int index) {
        JsonNode buffer = json.path("buffers").path(index);
        if (buffer.isMissingNode()) {
            return null;
        }
        String uri = buffer.path("uri").asText("");
        if (uri.isEmpty()) {
            return index == 0 ? glbBinary : null;
        }
        return uri.startsWith("data:") ? dataUri(uri) : null;
    }

    private static byte[] dataUri(String uri) {
        int comma = uri.indexOf(',');
        if (comma < 0 || !uri.substring(0, comma).endsWith(";base64")) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
