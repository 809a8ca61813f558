package farm.render.worker.render;

import static org.assertj.core.api.Assertions.assertThat;

import farm.render.core.scene.Material;
import farm.render.core.scene.Scene;
import farm.render.worker.cli.RenderCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local render command end to end on a tiny glTF file. */
class RenderCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return RenderCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void rendersAPngAndPrintsItsAbsolutePath() throws Exception {
        Path scene = writeGltf(TestScenes.boxWithCeilingLight(10f), dir.resolve("box.gltf"));
        Path png = dir.resolve("out/box.png");
        int code = run("render", scene.toString(), "--width", "24", "--height", "16", "--spp", "2",
                "--bounces", "3", "--tile", "8", "-o", png.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo(png.toAbsolutePath().toString());
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("6/6 tiles", "paths/s", "ETA", "\r");
    }

    @Test
    void writesLinearFloatExrAndAFilmicPng() throws Exception {
        Path scene = writeGltf(TestScenes.boxWithCeilingLight(10f), dir.resolve("box.gltf"));
        Path exr = dir.resolve("box.exr");
        assertThat(run(scene.toString(), "--width", "8", "--height", "8", "--spp", "1", "-o", exr.toString()))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        byte[] bytes = Files.readAllBytes(exr);
        // OpenEXR magic number 20000630, little-endian.
        assertThat(bytes).startsWith(0x76, 0x2f, 0x31, 0x01);
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("channels", "compression");
        Path png = dir.resolve("filmic.png");
        assertThat(run(scene.toString(), "--width", "8", "--height", "8", "--spp", "1", "--view", "filmic", "-o", png.toString()))
                .isZero();
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(run(scene.toString(), "--view", "vivid", "-o", png.toString())).isEqualTo(2);
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("scene.gltf")).isEqualTo(2);
        assertThat(run("scene.gltf", "-o", "x.png", "--spp", "0")).isEqualTo(2);
        assertThat(run("scene.gltf", "-o", "x.png", "--width", "wide")).isEqualTo(2);
        assertThat(run("scene.gltf", "-o", "x.png", "--colour", "blue")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: render SCENE");
    }

    @Test
    void missingOrInvalidSceneExitsWithTwo() throws Exception {
        assertThat(run(dir.resolve("absent.gltf").toString(), "-o", dir.resolve("a.png").toString())).isEqualTo(2);
        Path junk = Files.writeString(dir.resolve("junk.gltf"), "{ not a scene");
        assertThat(run(junk.toString(), "-o", dir.resolve("b.png").toString())).isEqualTo(2);
        Path unknown = Files.writeString(dir.resolve("scene.xyz"), "hello");
        assertThat(run(unknown.toString(), "-o", dir.resolve("c.png").toString())).isEqualTo(2);
    }

    /** Minimal glTF 2.0: one primitive per material, positions in an embedded buffer, emission via emissive_strength. */
    static Path writeGltf(Scene scene, Path file) throws Exception {
        List<Material> materials = scene.materials();
        ByteBuffer buffer = ByteBuffer.allocate(scene.positions().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        List<String> views = new ArrayList<>();
        List<String> accessors = new ArrayList<>();
        List<String> primitives = new ArrayList<>();
        for (int m = 0; m < materials.size(); m++) {
            int start = buffer.position();
            int vertices = 0;
            float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
            float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
            for (int t = 0; t < scene.triangleCount(); t++) {
                if (scene.materialIds()[t] != m) {
                    continue;
                }
                for (int i = 0; i < 9; i++) {
                    float v = scene.positions()[t * 9 + i];
                    buffer.putFloat(v);
                    min[i % 3] = Math.min(min[i % 3], v);
                    max[i % 3] = Math.max(max[i % 3], v);
                }
                vertices += 3;
            }
            if (vertices == 0) {
                continue;
            }
            views.add(String.format(Locale.ROOT, "{\"buffer\":0,\"byteOffset\":%d,\"byteLength\":%d}", start, buffer.position() - start));
            accessors.add(String.format(Locale.ROOT, "{\"bufferView\":%d,\"componentType\":5126,\"count\":%d,\"type\":\"VEC3\","
                    + "\"min\":[%f,%f,%f],\"max\":[%f,%f,%f]}", views.size() - 1, vertices, min[0], min[1], min[2], max[0], max[1], max[2]));
            primitives.add(String.format(Locale.ROOT, "{\"attributes\":{\"POSITION\":%d},\"material\":%d}", accessors.size() - 1, m));
        }
        List<String> mats = new ArrayList<>();
        for (Material m : materials) {
            float strength = Math.max(m.emission().r(), Math.max(m.emission().g(), m.emission().b()));
            String emissive = strength <= 0 ? "" : String.format(Locale.ROOT,
                    ",\"emissiveFactor\":[%f,%f,%f],\"extensions\":{\"KHR_materials_emissive_strength\":{\"emissiveStrength\":%f}}",
                    m.emission().r() / strength, m.emission().g() / strength, m.emission().b() / strength, strength);
            mats.add(String.format(Locale.ROOT, "{\"name\":\"%s\",\"pbrMetallicRoughness\":{\"baseColorFactor\":[%f,%f,%f,1],"
                    + "\"metallicFactor\":0,\"roughnessFactor\":1}%s}", m.name(), m.baseColor().r(), m.baseColor().g(),
                    m.baseColor().b(), emissive));
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        String json = "{\"asset\":{\"version\":\"2.0\"},\"extensionsUsed\":[\"KHR_materials_emissive_strength\"],"
                + "\"scene\":0,\"scenes\":[{\"nodes\":[0]}],\"nodes\":[{\"mesh\":0}],"
                + "\"meshes\":[{\"primitives\":[" + String.join(",", primitives) + "]}],"
                + "\"materials\":[" + String.join(",", mats) + "],"
                + "\"buffers\":[{\"byteLength\":" + bytes.length + ",\"uri\":\"data:application/octet-stream;base64,"
                + Base64.getEncoder().encodeToString(bytes) + "\"}],"
                + "\"bufferViews\":[" + String.join(",", views) + "],\"accessors\":[" + String.join(",", accessors) + "]}";
        return Files.writeString(file, json);
    }
}
