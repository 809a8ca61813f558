package farm.render.core.scene;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SceneImporterTest {
    static final Path CORNELL = Path.of("../samples/cornell-box/cornell-box.gltf");

    @Test
    void importsTheCornellBoxWithItsCameraMaterialsAndLight() throws Exception {
        Scene scene = SceneImporter.importScene(Files.readAllBytes(CORNELL), "gltf");

        assertThat(scene.triangleCount()).isEqualTo(32);
        assertThat(scene.emissiveTriangleCount()).isEqualTo(2);
        Material light = scene.materials().stream().filter(Material::isEmissive).findFirst().orElseThrow();
        assertThat(light.emission().r()).isCloseTo(17f, within(1e-3f));
        assertThat(light.emission().g()).isCloseTo(12f, within(1e-3f));
        assertThat(light.emission().b()).isCloseTo(4f, within(1e-3f));
        Material red = scene.materials().stream().filter(m -> m.name().equals("red")).findFirst().orElseThrow();
        assertThat(red.baseColor().r()).isCloseTo(0.63f, within(1e-4f));
        Camera camera = scene.camera();
        assertThat(camera.position().z()).isCloseTo(0.8f, within(1e-5f));
        assertThat(camera.forward().z()).isCloseTo(-1f, within(1e-5f));
        assertThat(Math.toDegrees(camera.verticalFovRadians())).isCloseTo(39.3077, within(1e-3));
    }

    @Test
    void readsMetallicRoughnessPunctualLightsAndTheEnvironment() throws Exception {
        // One triangle; a point light at (0, 2, 0), a spot light, a directional light rotated to point down.
        String gltf = """
                {"asset":{"version":"2.0"},"extensionsUsed":["KHR_lights_punctual"],
                 "extras":{"environment":[0.25,0.5,1.0]},
                 "extensions":{"KHR_lights_punctual":{"lights":[
                   {"type":"point","color":[1,0.5,0.25],"intensity":8},
                   {"type":"spot","intensity":3,"spot":{"innerConeAngle":0.2,"outerConeAngle":0.5}},
                   {"type":"directional","intensity":2}]}},
                 "scene":0,"scenes":[{"nodes":[0,1,2,3]}],
                 "nodes":[{"mesh":0},
                   {"name":"p","translation":[0,2,0],"extensions":{"KHR_lights_punctual":{"light":0}}},
                   {"name":"s","translation":[1,3,0],"extensions":{"KHR_lights_punctual":{"light":1}}},
                   {"name":"d","rotation":[-0.7071068,0,0,0.7071068],"extensions":{"KHR_lights_punctual":{"light":2}}}],
                 "meshes":[{"primitives":[{"attributes":{"POSITION":0},"material":0}]}],
                 "materials":[{"name":"gold","doubleSided":true,
                   "pbrMetallicRoughness":{"baseColorFactor":[1,0.8,0.3,1],"metallicFactor":0.9,"roughnessFactor":0.35}}],
                 "buffers":[{"byteLength":36,"uri":"data:application/octet-stream;base64,AAAAAAAAAAAAAAAAAACAPwAAAAAAAAAAAAAAAAAAAAAAAIA/"}],
                 "bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":36}],
                 "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,0,1]}]}
                """;
        Scene scene = SceneImporter.importScene(gltf.getBytes(java.nio.charset.StandardCharsets.UTF_8), "gltf");
        Material gold = scene.materials().get(0);
        assertThat(gold.metallic()).isCloseTo(0.9f, within(1e-6f));
        assertThat(gold.roughness()).isCloseTo(0.35f, within(1e-6f));
        assertThat(gold.specular()).isEqualTo(1f);
        assertThat(gold.doubleSided()).isTrue();
        assertThat(scene.environment()).isEqualTo(new Rgb(0.25f, 0.5f, 1.0f));
        assertThat(scene.lights()).hasSize(3);
        PunctualLight point = scene.lights().stream().filter(l -> l.kind() == PunctualLight.Kind.POINT).findFirst().orElseThrow();
        assertThat(point.position().y()).isCloseTo(2f, within(1e-5f));
        assertThat(point.intensity().r()).isCloseTo(8f, within(1e-4f));
        assertThat(point.intensity().b()).isCloseTo(2f, within(1e-4f));
        PunctualLight spot = scene.lights().stream().filter(l -> l.kind() == PunctualLight.Kind.SPOT).findFirst().orElseThrow();
        assertThat(spot.outerCone()).isCloseTo(0.5f, within(1e-5f));
        assertThat(spot.innerCone()).isCloseTo(0.2f, within(1e-5f));
        PunctualLight sun = scene.lights().stream().filter(l -> l.kind() == PunctualLight.Kind.DIRECTIONAL).findFirst().orElseThrow();
        assertThat(sun.direction().y()).isCloseTo(-1f, within(1e-4f));
        assertThat(scene.unsupported()).noneMatch(u -> u.contains("light"));
    }

    @Test
    void thePackageIsDeterministicAndRoundTrips() throws Exception {
        byte[] source = Files.readAllBytes(CORNELL);
        byte[] first = ScenePackage.encode(SceneImporter.importScene(source, "gltf"));
        byte[] second = ScenePackage.encode(SceneImporter.importScene(source, "gltf"));
        assertThat(first).isEqualTo(second);
        Scene decoded = ScenePackage.decode(first);
        assertThat(ScenePackage.encode(decoded)).isEqualTo(first);
    }

    @Test
    void materialsAreFoundByNameWhenMeshesUseThemOutOfOrder() throws Exception {
        // The file declares red then blue; its one triangle uses blue. Assimp lists blue first.
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(36).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[]{0, 0, 0, 1, 0, 0, 0, 1, 0}) {
            bytes.putFloat(f);
        }
        String gltf = """
                {"asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],
                 "meshes":[{"primitives":[{"attributes":{"POSITION":0},"material":1}]}],
                 "materials":[{"name":"red","pbrMetallicRoughness":{"baseColorFactor":[1,0,0,1]}},
                              {"name":"blue","pbrMetallicRoughness":{"baseColorFactor":[0,0,1,1]}}],
                 "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}],
                 "bufferViews":[{"buffer":0,"byteLength":36}],
                 "buffers":[{"byteLength":36,"uri":"data:application/octet-stream;base64,DATA"}]}
                """.replace("DATA", java.util.Base64.getEncoder().encodeToString(bytes.array()));
        Scene scene = SceneImporter.importScene(gltf.getBytes(java.nio.charset.StandardCharsets.UTF_8), "gltf");
        Material used = scene.materials().get(scene.materialIds()[0]);
        assertThat(used.name()).isEqualTo("blue");
        assertThat(used.baseColor().b()).isEqualTo(1f);
    }

    @Test
    void randomBytesAreRefusedWithAReason() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        assertThatThrownBy(() -> SceneImporter.importScene(noise, "glb"))
                .isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("GLB magic");
        assertThatThrownBy(() -> SceneImporter.importScene(noise, "obj"))
                .isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("could not be read");
    }

    @Test
    void anUnknownExtensionIsRefused() {
        assertThatThrownBy(() -> SceneImporter.importScene(new byte[]{1}, "exe"))
                .isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("not supported");
    }

    @Test
    void aTruncatedPackageIsRefused() throws Exception {
        byte[] pkg = ScenePackage.encode(SceneImporter.importScene(Files.readAllBytes(CORNELL), "gltf"));
        assertThatThrownBy(() -> ScenePackage.decode(Arrays.copyOf(pkg, pkg.length / 2)))
                .isInstanceOf(InvalidSceneException.class);
    }

    @Test
    void aSceneCannotReadFilesOutsideTheUpload(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.bin");
        java.nio.ByteBuffer triangle = java.nio.ByteBuffer.allocate(36).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[]{0, 0, 0, 1, 0, 0, 0, 1, 0}) {
            triangle.putFloat(f);
        }
        Files.write(secret, triangle.array());
        String gltf = "{\"asset\":{\"version\":\"2.0\"},\"scene\":0,\"scenes\":[{\"nodes\":[0]}],\"nodes\":[{\"mesh\":0}],"
                + "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}],"
                + "\"buffers\":[{\"byteLength\":36,\"uri\":\"" + secret + "\"}],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteLength\":36}],"
                + "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\"}]}";
        assertThatThrownBy(() -> SceneImporter.importScene(gltf.getBytes(), "gltf"))
                .isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining(secret.toString());
    }

    @Test
    void aGlbWhoseHeaderLiesAboutItsLengthIsRefused() {
        byte[] glb = new byte[64];
        java.nio.ByteBuffer.wrap(glb).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x46546C67).putInt(2).putInt(1 << 29);
        assertThatThrownBy(() -> SceneImporter.importScene(glb, "glb"))
                .isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("header says 536870912 bytes");
    }
}
