package farm.render.coordinator.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Small scene files built in code: one triangle as glTF (embedded buffer) and as GLB. */
public final class TinyScenes {
    private TinyScenes() {
    }

    private static byte[] triangle() {
        ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[]{0, 0, 0, 1, 0, 0, 0, 1, 0}) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static String json(String bufferUri, String name) {
        return "{\"asset\":{\"version\":\"2.0\"},\"scene\":0,\"scenes\":[{\"nodes\":[0]}],\"nodes\":[{\"mesh\":0,\"name\":\"" + name + "\"}],"
                + "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}],"
                + "\"buffers\":[{\"byteLength\":36" + (bufferUri == null ? "" : ",\"uri\":\"" + bufferUri + "\"") + "}],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteOffset\":0,\"byteLength\":36}],"
                + "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\","
                + "\"min\":[0,0,0],\"max\":[1,1,0]}]}";
    }

    public static byte[] gltf() {
        return gltf("triangle");
    }

    /** The same triangle; a different {@code name} gives different bytes, so a test gets its own scene digest. */
    public static byte[] gltf(String name) {
        return json("data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(triangle()), name)
                .getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] glb() {
        byte[] j = json(null, "triangle").getBytes(StandardCharsets.UTF_8);
        byte[] jsonChunk = Arrays.copyOf(j, (j.length + 3) / 4 * 4);
        Arrays.fill(jsonChunk, j.length, jsonChunk.length, (byte) ' ');
        byte[] bin = triangle();
        ByteBuffer out = ByteBuffer.allocate(12 + 8 + jsonChunk.length + 8 + bin.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x46546C67).putInt(2).putInt(out.capacity());
        out.putInt(jsonChunk.length).putInt(0x4E4F534A).put(jsonChunk);
        out.putInt(bin.length).putInt(0x004E4942).put(bin);
        return out.array();
    }

    /** A GLB cut off part way through its JSON chunk, as an interrupted upload would be. */
    public static byte[] truncatedGlb() {
        byte[] whole = glb();
        return Arrays.copyOf(whole, whole.length / 2);
    }
}
