package farm.render.coordinator.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A corpus of broken and hostile scene files, built in code so every case says what it attacks:
 * truncation, wrong magic, lying lengths, out-of-range indices, non-finite vertices, cyclic and deep
 * node graphs, references to files outside the upload, absurd declared counts and image sizes.
 */
public final class HostileScenes {
    /** One upload: the name it is sent under and its bytes. */
    public record Upload(String filename, byte[] bytes) {
    }

    private HostileScenes() {
    }

    public static Map<String, Upload> corpus() {
        Map<String, Upload> c = new LinkedHashMap<>();
        byte[] valid = TinyScenes.gltf("hostile-base");
        c.put("empty file", new Upload("empty.gltf", new byte[0]));
        c.put("truncated glTF JSON", new Upload("cut.gltf", Arrays.copyOf(valid, valid.length / 2)));
        c.put("truncated GLB", new Upload("cut.glb", TinyScenes.truncatedGlb()));
        c.put("wrong GLB magic", new Upload("magic.glb", withInt(TinyScenes.glb(), 0, 0x58546C67)));
        c.put("GLB header length lies", new Upload("length.glb", withInt(TinyScenes.glb(), 8, 512 << 20)));
        c.put("GLB chunk length lies", new Upload("chunk.glb", withInt(TinyScenes.glb(), 12, 0x7FFFFFF0)));
        c.put("indices out of range", new Upload("indices.gltf", gltf(indexedMesh(new int[]{0, 1, 4_000_000}), 3, "")));
        c.put("NaN vertices", new Upload("nan.gltf", gltf(positions(Float.NaN), 3, "")));
        c.put("infinite vertices", new Upload("inf.gltf", gltf(positions(Float.POSITIVE_INFINITY), 3, "")));
        c.put("cyclic nodes", new Upload("cycle.gltf", cyclicNodes()));
        c.put("nodes nested 100,000 deep", new Upload("deep.gltf", deepNodes(100_000)));
        c.put("buffer URI to a local file", new Upload("passwd.gltf", external("/etc/passwd")));
        c.put("buffer URI with path traversal", new Upload("traverse.gltf", external("../../../../../../etc/hostname")));
        c.put("buffer URI to a remote host", new Upload("remote.gltf", external("http://127.0.0.1:9/scene.bin")));
        c.put("OBJ material library outside the upload", new Upload("mtl.obj",
                "mtllib /etc/passwd\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl root\nf 1 2 3\n".getBytes(StandardCharsets.US_ASCII)));
        c.put("OBJ face index out of range", new Upload("face.obj",
                "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 99999999\n".getBytes(StandardCharsets.US_ASCII)));
        c.put("accessor declares 1e9 vertices", new Upload("count.gltf", gltf(positions(0f), 1_000_000_000, "")));
        c.put("buffer declares 4 GB", new Upload("huge-buffer.gltf", hugeBuffer()));
        c.put("image declares 1e6 x 1e6 pixels", new Upload("huge-image.gltf", gltf(positions(0f), 3, hugeImage())));
        c.put("random bytes named .fbx", new Upload("noise.fbx", noise(8192)));
        c.put("random bytes named .dae", new Upload("noise.dae", noise(8192)));
        return c;
    }

    private static byte[] noise(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    private static byte[] withInt(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return copy;
    }

    private static byte[] positions(float poison) {
        ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[]{0, 0, 0, 1, 0, 0, 0, poison, 0}) {
            b.putFloat(f);
        }
        return b.array();
    }

    /** Three positions followed by three uint32 indices. */
    private static byte[] indexedMesh(int[] indices) {
        ByteBuffer b = ByteBuffer.allocate(36 + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.put(positions(0f));
        for (int i : indices) {
            b.putInt(i);
        }
        return b.array();
    }

    private static String dataUri(byte[] bytes) {
        return "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** One triangle; when the buffer is longer than 36 bytes the rest is read as uint32 indices. */
    private static byte[] gltf(byte[] buffer, long count, String extraImages) {
        boolean indexed = buffer.length > 36;
        String json = "{\"asset\":{\"version\":\"2.0\"},\"scene\":0,\"scenes\":[{\"nodes\":[0]}],\"nodes\":[{\"mesh\":0}],"
                + "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}" + (indexed ? ",\"indices\":1" : "") + "}]}],"
                + "\"buffers\":[{\"byteLength\":" + buffer.length + ",\"uri\":\"" + dataUri(buffer) + "\"}],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteOffset\":0,\"byteLength\":36}"
                + (indexed ? ",{\"buffer\":0,\"byteOffset\":36,\"byteLength\":12}" : "") + "],"
                + "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":" + count + ",\"type\":\"VEC3\"}"
                + (indexed ? ",{\"bufferView\":1,\"componentType\":5125,\"count\":3,\"type\":\"SCALAR\"}" : "") + "]"
                + extraImages + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] external(String uri) {
        return new String(TinyScenes.gltf("external"), StandardCharsets.UTF_8)
                .replaceFirst("data:application/octet-stream;base64,[A-Za-z0-9+/=]+", uri)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] cyclicNodes() {
        return new String(TinyScenes.gltf("cycle"), StandardCharsets.UTF_8)
                .replace("\"nodes\":[{\"mesh\":0,\"name\":\"cycle\"}]",
                        "\"nodes\":[{\"mesh\":0,\"name\":\"a\",\"children\":[1]},{\"name\":\"b\",\"children\":[0]}]")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] deepNodes(int depth) {
        StringBuilder nodes = new StringBuilder("[");
        for (int i = 0; i < depth; i++) {
            nodes.append(i == 0 ? "" : ",").append("{\"children\":[").append(i + 1).append("]}");
        }
        nodes.append(",{\"mesh\":0}]");
        return new String(TinyScenes.gltf("deep"), StandardCharsets.UTF_8)
                .replace("[{\"mesh\":0,\"name\":\"deep\"}]", nodes.toString())
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hugeBuffer() {
        return new String(TinyScenes.gltf("huge"), StandardCharsets.UTF_8)
                .replace("\"byteLength\":36,\"uri\"", "\"byteLength\":4294967296,\"uri\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A material whose base colour texture is a PNG whose header claims 1,000,000 × 1,000,000 pixels. */
    private static String hugeImage() {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(1_000_000).putInt(1_000_000).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1 << 16]);
        deflater.finish();
        byte[] idat = new byte[1 << 16];
        chunk(png, "IDAT", Arrays.copyOf(idat, deflater.deflate(idat)));
        chunk(png, "IEND", new byte[0]);
        String image = "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
        return ",\"images\":[{\"uri\":\"" + image + "\"}],\"textures\":[{\"source\":0}],"
                + "\"materials\":[{\"pbrMetallicRoughness\":{\"baseColorTexture\":{\"index\":0}}}]";
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
