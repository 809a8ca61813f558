package farm.render.worker.render;

import java.util.OptionalInt;

/**
 * Which Vulkan device to render on: a given index from {@link VulkanRenderer#devices()}, or the best
 * one (discrete, integrated, virtual, then CPU). CPU devices such as lavapipe are taken only when
 * allowed: a GPU owner who meant to rent out a GPU should not silently rent out the CPU instead.
 */
public record DeviceChoice(OptionalInt index, boolean allowCpu) {
    /** The best device, CPU included: local renders, tests and the verifier. */
    public static DeviceChoice any() {
        return new DeviceChoice(OptionalInt.empty(), true);
    }
}
