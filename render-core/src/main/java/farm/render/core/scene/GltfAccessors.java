package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A glTF document's accessors read as floats from its embedded buffers (data URIs and a GLB's binary chunk), for
 * the parts Assimp does not hand over: animation samplers, GPU instancing attributes. Every offset is checked
 * against its buffer, since the document is hostile.
 */
final class GltfAccessors {
    private final JsonNode doc;
    private final byte[] glbBinary;
    private final Map<Integer, byte[]> buffers = new HashMap<>();

    GltfAccessors(JsonNode doc, byte[] glbBinary) {
        this.doc = doc;
        this.glbBinary = glbBinary;
    }

    /**
     * Accessor {@code index}'s elements as floats (normalized integers mapped as glTF 2.0 section 3.11 says), refused
     * unless it has {@code type} and at most {@code maxCount} elements.
     */
    float[] floats(int index, String type, int components, int maxCount) {
        JsonNode acc = doc.path("accessors").path(index);
        if (!acc.isObject()) {
            throw new IllegalArgumentException("accessor " + index + " does not exist");
        }
        if (acc.has("sparse")) {
            throw new IllegalArgumentException("sparse accessors are not read");
        }
        if (!type.equals(acc.path("type").asText())) {
            throw new IllegalArgumentException("accessor " + index + " is " + acc.path("type").asText() + ", expected " + type);
        }
        int count = acc.path("count").asInt(-1);
        if (count < 1 || count > maxCount) {
            throw new IllegalArgumentException("accessor " + index + " count " + count + " out of range");
        }
        int componentType = acc.path("componentType").asInt();
        int size = switch (componentType) {
            case 5126 -> 4;
            case 5120, 5121 -> 1;
            case 5122, 5123 -> 2;
            default -> throw new IllegalArgumentException("accessor " + index + " component type " + componentType + " is not read");
        };
        JsonNode view = doc.path("bufferViews").path(acc.path("bufferView").asInt(-1));
        if (!view.isObject()) {
            throw new IllegalArgumentException("accessor " + index + " has no buffer view");
        }
        byte[] buffer = buffer(view.path("buffer").asInt(-1));
        long start = view.path("byteOffset").asLong(0) + acc.path("byteOffset").asLong(0);
        long stride = view.path("byteStride").asLong(0) > 0 ? view.path("byteStride").asLong() : (long) size * components;
        long end = start + stride * (count - 1) + (long) size * components;
        long viewEnd = view.path("byteOffset").asLong(0) + view.path("byteLength").asLong(0);
        if (start < 0 || end > viewEnd || viewEnd > buffer.length) {
            throw new IllegalArgumentException("accessor " + index + " reaches beyond its buffer");
        }
        ByteBuffer in = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count * components];
        for (int e = 0; e < count; e++) {
            int base = (int) (start + stride * e);
            for (int c = 0; c < components; c++) {
                int at = base + c * size;
                out[e * components + c] = switch (componentType) {
                    case 5126 -> in.getFloat(at);
                    case 5120 -> Math.max(in.get(at) / 127f, -1f);
                    case 5121 -> (in.get(at) & 0xFF) / 255f;
                    case 5122 -> Math.max(in.getShort(at) / 32767f, -1f);
                    default -> (in.getShort(at) & 0xFFFF) / 65535f;
                };
            }
        }
        return out;
    }

    private byte[] buffer(int index) {
        byte[] known = buffers.get(index);
        if (known == null) {
            known = decodeBuffer(index);
            buffers.put(index, known);
        }
        return known;
    }

    private byte[] decodeBuffer(int index) {
        JsonNode buffer = doc.path("buffers").path(index);
        if (!buffer.isObject()) {
            throw new IllegalArgumentException("buffer " + index + " does not exist");
        }
        if (!buffer.has("uri")) {
            if (index == 0 && glbBinary != null) {
                return glbBinary;
            }
            throw new IllegalArgumentException("buffer " + index + " has no data");
        }
        String uri = buffer.path("uri").asText();
        int comma = uri.indexOf(',');
        if (!uri.startsWith("data:") || comma < 0 || !uri.substring(0, comma).endsWith(";base64")) {
            throw new IllegalArgumentException("buffer " + index + " is not embedded");
        }
        try {
            return Base64.getDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("buffer " + index + " is not valid base64");
        }
    }
}
