package farm.render.verifier.bench;

import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.VulkanRenderer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A renderer in a child process, in the same configuration, gives this process's pixels: tiles and single pixels. */
class ChildProcessRendererTest {
    @Test
    void theChildRendersWhatThisProcessRenders() throws Exception {
        Path file = Path.of("../samples/cornell-box/cornell-box.gltf");
        Scene scene = SceneImporter.importScene(Files.readAllBytes(file), "gltf");
        FrameRequest request = new FrameRequest(64, 64, 0, 2, 2, 7L);
        TileRect rect = new TileRect(16, 32, 16, 8);
        int[] xy = {16, 32, 20, 35, 31, 39};
        try (VulkanRenderer here = VulkanRenderer.open();
             ChildProcessRenderer child = ChildProcessRenderer.start(file, Map.of())) {
            TileImage expected = here.renderTile(scene, "cornell", request, rect);
            assertThat(child.deviceName()).isEqualTo(here.deviceName());
            assertThat(child.renderTile(scene, "cornell", request, rect).rgb()).isEqualTo(expected.rgb());
            assertThat(child.renderPixels(scene, "cornell", request, xy)).isEqualTo(here.renderPixels(scene, "cornell", request, xy));
        }
    }
}
