package farm.render.core.scene;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    void thePackageIsDeterministicAndRoundTrips() throws Exception {
        byte[] source = Files.readAllBytes(CORNELL);
        byte[] first = ScenePackage.encode(SceneImporter.importScene(source, "gltf"));
        byte[] second = ScenePackage.encode(SceneImporter.importScene(source, "gltf"));
        assertThat(first).isEqualTo(second);
        Scene decoded = ScenePackage.decode(first);
        assertThat(ScenePackage.encode(decoded)).isEqualTo(first);
    }

    @Test
    void randomBytesAreRefusedWithAReason() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        assertThatThrownBy(() -> SceneImporter.importScene(noise, "glb"))
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
    void isolatedImportCompilesInAChildProcessAndReportsBadInput() throws Exception {
        IsolatedImport isolated = new IsolatedImport(IsolatedImport.defaultClasspath(), 256, Duration.ofSeconds(60), 64 << 20);
        byte[] pkg = isolated.compile(Files.readAllBytes(CORNELL), "gltf");
        assertThat(ScenePackage.decode(pkg).triangleCount()).isEqualTo(32);

        byte[] truncatedGlb = Arrays.copyOf("glTF".getBytes(), 40);
        assertThatThrownBy(() -> isolated.compile(truncatedGlb, "glb"))
                .isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("could not be read");
    }
}
