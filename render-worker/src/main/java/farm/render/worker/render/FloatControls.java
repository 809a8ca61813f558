package farm.render.worker.render;

import static org.lwjgl.system.MemoryStack.stackPush;

import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VK11;
import org.lwjgl.vulkan.VK12;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceFloatControlsProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties2;

/**
 * What a device guarantees about 32-bit float arithmetic in shaders (Vulkan 1.2 float controls). The shaders
 * do not rely on any of it: repro.glsl flushes denormals itself and uses only correctly rounded add and
 * multiply, so these are logged for the record, to explain a device that still differs.
 */
record FloatControls(boolean denormPreserve, boolean denormFlushToZero, boolean roundingRte, boolean roundingRtz,
                     boolean signedZeroInfNanPreserve, String denormIndependence, String roundingIndependence) {

    static FloatControls of(VkPhysicalDevice device) {
        try (MemoryStack stack = stackPush()) {
            VkPhysicalDeviceFloatControlsProperties controls = VkPhysicalDeviceFloatControlsProperties.calloc(stack).sType$Default();
            VkPhysicalDeviceProperties2 properties = VkPhysicalDeviceProperties2.calloc(stack).sType$Default().pNext(controls);
            VK11.vkGetPhysicalDeviceProperties2(device, properties);
            return new FloatControls(controls.shaderDenormPreserveFloat32(), controls.shaderDenormFlushToZeroFloat32(),
                    controls.shaderRoundingModeRTEFloat32(), controls.shaderRoundingModeRTZFloat32(),
                    controls.shaderSignedZeroInfNanPreserveFloat32(), independence(controls.denormBehaviorIndependence()),
                    independence(controls.roundingModeIndependence()));
        }
    }

    private static String independence(int value) {
        return switch (value) {
            case VK12.VK_SHADER_FLOAT_CONTROLS_INDEPENDENCE_32_BIT_ONLY -> "32-bit only";
            case VK12.VK_SHADER_FLOAT_CONTROLS_INDEPENDENCE_ALL -> "all";
            case VK12.VK_SHADER_FLOAT_CONTROLS_INDEPENDENCE_NONE -> "none";
            default -> "unknown " + value;
        };
    }

    @Override
    public String toString() {
        return "float32 denormals: preserve " + yes(denormPreserve) + ", flush to zero " + yes(denormFlushToZero)
                + "; rounding mode selectable: RTE " + yes(roundingRte) + ", RTZ " + yes(roundingRtz)
                + "; signed zero, inf, NaN preserved " + yes(signedZeroInfNanPreserve)
                + "; independence: denormals " + denormIndependence + ", rounding " + roundingIndependence;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
