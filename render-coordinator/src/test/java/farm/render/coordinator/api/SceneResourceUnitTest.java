package farm.render.coordinator.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class SceneResourceUnitTest {
    @Test
    void readCappedRefusesOneByteOverTheLimit() throws Exception {
        assertThat(SceneResource.readCapped(new ByteArrayInputStream(new byte[100]), 100)).get().satisfies(b -> assertThat(b).hasSize(100));
        assertThat(SceneResource.readCapped(new ByteArrayInputStream(new byte[101]), 100)).isEmpty();
    }

    @Test
    void baseNameDropsDirectories() {
        assertThat(SceneResource.baseName("C:\\scenes\\box.glb")).isEqualTo("box.glb");
        assertThat(SceneResource.baseName("../x/room.gltf")).isEqualTo("room.gltf");
    }
}
