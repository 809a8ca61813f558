package farm.render.coordinator.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SceneResourceUnitTest {
    @Test
    void baseNameDropsDirectories() {
        assertThat(SceneResource.baseName("C:\\scenes\\box.glb")).isEqualTo("box.glb");
        assertThat(SceneResource.baseName("../x/room.gltf")).isEqualTo("room.gltf");
    }
}
