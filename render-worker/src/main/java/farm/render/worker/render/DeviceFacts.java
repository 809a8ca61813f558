package farm.render.worker.render;

import static org.lwjgl.system.MemoryStack.stackPush;

import farm.render.core.classes.NumericalFacts;
import farm.render.core.wire.RendererVersion;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VK11;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceDriverProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties2;

/** The facts of a device's numerical class, read from Vulkan: its ids, driver, name and float controls. */
final class DeviceFacts {
    /** What the test-only perturbation adds to the driver info: it is another arithmetic, so another class. */
    static final String PERTURBED = " [test: last bit of rRcp flipped]";

    private DeviceFacts() {
    }

    static NumericalFacts of(VkPhysicalDevice device, FloatControls floatControls) {
        try (MemoryStack stack = stackPush()) {
            VkPhysicalDeviceDriverProperties driver = VkPhysicalDeviceDriverProperties.calloc(stack).sType$Default();
            VkPhysicalDeviceProperties2 properties = VkPhysicalDeviceProperties2.calloc(stack).sType$Default().pNext(driver);
            VK11.vkGetPhysicalDeviceProperties2(device, properties);
            return new NumericalFacts(Integer.toUnsignedLong(properties.properties().vendorID()),
                    Integer.toUnsignedLong(properties.properties().deviceID()), Integer.toUnsignedLong(driver.driverID()),
                    Integer.toUnsignedLong(properties.properties().driverVersion()), properties.properties().deviceNameString(),
                    driver.driverNameString(), driver.driverInfoString() + (PerturbedArithmetic.on() ? PERTURBED : ""),
                    floatControls.toString(), RendererVersion.CURRENT);
        }
    }
}
