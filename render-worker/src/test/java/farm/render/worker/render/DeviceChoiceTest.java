package farm.render.worker.render;

import farm.render.worker.daemon.WorkerOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceChoiceTest {
    @Test
    void devicesAreListedWithTheirIndexAndType() {
        List<DeviceInfo> devices = VulkanRenderer.devices();
        assertThat(devices).isNotEmpty();
        for (int i = 0; i < devices.size(); i++) {
            assertThat(devices.get(i).index()).isEqualTo(i);
            assertThat(devices.get(i).toString()).startsWith("[" + i + "] ");
        }
    }

    @Test
    void aCpuDeviceIsTakenOnlyWhenAllowed() {
        boolean onlyCpu = VulkanRenderer.devices().stream().filter(DeviceInfo::usable).allMatch(DeviceInfo::isCpu);
        DeviceChoice gpuOnly = new DeviceChoice(OptionalInt.empty(), false);
        if (onlyCpu) {
            assertThatThrownBy(() -> VulkanRenderer.open(gpuOnly))
                    .isInstanceOf(RendererUnavailableException.class)
                    .hasMessageContaining("--allow-cpu");
        } else {
            try (VulkanRenderer renderer = VulkanRenderer.open(gpuOnly)) {
                assertThat(renderer.deviceName()).isNotBlank();
            }
        }
        try (VulkanRenderer renderer = VulkanRenderer.open(new DeviceChoice(OptionalInt.of(0), true))) {
            assertThat(renderer.deviceName()).isEqualTo(VulkanRenderer.devices().get(0).name());
        }
    }

    @Test
    void aDeviceNumberThatDoesNotExistIsRefused() {
        int missing = VulkanRenderer.devices().size();
        assertThatThrownBy(() -> VulkanRenderer.open(new DeviceChoice(OptionalInt.of(missing), true)))
                .isInstanceOf(RendererUnavailableException.class)
                .hasMessageContaining("no Vulkan device " + missing);
    }

    @Test
    void workerOptionsTakeTheDeviceAndTheCpuPermission() {
        WorkerOptions options = WorkerOptions.parse(new String[]{"--kafka", "127.0.0.1:9092", "--device", "1", "--allow-cpu"});
        assertThat(options.device()).isEqualTo(new DeviceChoice(OptionalInt.of(1), true));
        assertThat(WorkerOptions.parse(new String[]{"--kafka", "127.0.0.1:9092"}).device().allowCpu()).isFalse();
        assertThatThrownBy(() -> WorkerOptions.parse(new String[]{"--kafka", "k:1", "--device", "gpu"}))
                .hasMessageContaining("device number");
    }
}
