package farm.render.worker.render;

import static farm.render.worker.render.VkResults.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import farm.render.core.classes.NumericalFacts;
import java.nio.IntBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VK12;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceMemoryProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.lwjgl.vulkan.VkQueue;
import org.lwjgl.vulkan.VkQueueFamilyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the Vulkan instance, the chosen physical device, the logical device and its one compute queue. */
final class VulkanDevice implements AutoCloseable {
    static final String INSTALL_HINT =
            "no Vulkan driver found: install the Debian packages libvulkan1 and mesa-vulkan-drivers";
    private static final Logger LOG = LoggerFactory.getLogger(VulkanDevice.class);
    /** A process logs its device's float controls once, however many devices its renders open. */
    private static final AtomicBoolean LOGGED_FLOAT_CONTROLS = new AtomicBoolean();

    private final VkInstance instance;
    private final VkPhysicalDevice physicalDevice;
    private final VkDevice device;
    private final VkQueue queue;
    private final int queueFamily;
    private final String name;
    private final VkPhysicalDeviceMemoryProperties memoryProperties;
    private final long maxTexelBufferElements;
    private final boolean cpu;
    private final FloatControls floatControls;
    private final NumericalFacts numericalFacts;

    private VulkanDevice(VkInstance instance, VkPhysicalDevice physicalDevice, VkDevice device, VkQueue queue,
                         int queueFamily, String name) {
        this.instance = instance;
        this.physicalDevice = physicalDevice;
        this.device = device;
        this.queue = queue;
        this.queueFamily = queueFamily;
        this.name = name;
        this.memoryProperties = VkPhysicalDeviceMemoryProperties.calloc();
        vkGetPhysicalDeviceMemoryProperties(physicalDevice, memoryProperties);
        try (MemoryStack stack = stackPush()) {
            VkPhysicalDeviceProperties props = VkPhysicalDeviceProperties.malloc(stack);
            vkGetPhysicalDeviceProperties(physicalDevice, props);
            this.maxTexelBufferElements = Integer.toUnsignedLong(props.limits().maxTexelBufferElements());
            this.cpu = props.deviceType() == VK_PHYSICAL_DEVICE_TYPE_CPU;
        }
        this.floatControls = FloatControls.of(physicalDevice);
        this.numericalFacts = DeviceFacts.of(physicalDevice, floatControls);
        if (LOGGED_FLOAT_CONTROLS.compareAndSet(false, true)) {
            LOG.info("{}: {}", name, floatControls);
        }
    }

    static VulkanDevice create(DeviceChoice choice) {
        VkInstance instance = createInstance();
        try {
            return createOn(instance, choice);
        } catch (RuntimeException | Error e) {
            vkDestroyInstance(instance, null);
            throw e;
        }
    }

    /** Every device the loader reports, in its order; the index is what {@code --device} takes. */
    static java.util.List<DeviceInfo> list() {
        VkInstance instance = createInstance();
        try (MemoryStack stack = stackPush()) {
            java.util.List<DeviceInfo> devices = new java.util.ArrayList<>();
            PointerBuffer handles = physicalDevices(instance, stack);
            VkPhysicalDeviceProperties props = VkPhysicalDeviceProperties.malloc(stack);
            for (int i = 0; i < handles.remaining(); i++) {
                VkPhysicalDevice candidate = new VkPhysicalDevice(handles.get(i), instance);
                vkGetPhysicalDeviceProperties(candidate, props);
                boolean usable = props.apiVersion() >= VK12.VK_API_VERSION_1_2 && computeFamily(candidate, stack) >= 0;
                devices.add(new DeviceInfo(i, props.deviceNameString(), typeName(props.deviceType()), usable));
            }
            return devices;
        } finally {
            vkDestroyInstance(instance, null);
        }
    }

    private static PointerBuffer physicalDevices(VkInstance instance, MemoryStack stack) {
        IntBuffer count = stack.mallocInt(1);
        check(vkEnumeratePhysicalDevices(instance, count, null), "vkEnumeratePhysicalDevices");
        PointerBuffer handles = stack.mallocPointer(count.get(0));
        if (count.get(0) > 0) {
            check(vkEnumeratePhysicalDevices(instance, count, handles), "vkEnumeratePhysicalDevices");
        }
        return handles;
    }

    private static String typeName(int deviceType) {
        return switch (deviceType) {
            case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU -> "discrete gpu";
            case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU -> "integrated gpu";
            case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU -> "virtual gpu";
            case VK_PHYSICAL_DEVICE_TYPE_CPU -> "cpu";
            default -> "other";
        };
    }

    private static VkInstance createInstance() {
        try (MemoryStack stack = stackPush()) {
            VkApplicationInfo app = VkApplicationInfo.calloc(stack)
                    .sType$Default()
                    .pApplicationName(stack.UTF8("render-farm-worker"))
                    .pEngineName(stack.UTF8("render-farm"))
                    .apiVersion(VK12.VK_API_VERSION_1_2);
            VkInstanceCreateInfo info = VkInstanceCreateInfo.calloc(stack).sType$Default().pApplicationInfo(app);
            PointerBuffer handle = stack.mallocPointer(1);
            int result;
            try {
                result = vkCreateInstance(info, null, handle);
            } catch (LinkageError | IllegalStateException e) {
                // LWJGL could not load libvulkan.so.1 at all.
                throw new RendererUnavailableException(INSTALL_HINT + " (" + e.getMessage() + ")", e);
            }
            if (result == VK_ERROR_INCOMPATIBLE_DRIVER) {
                throw new RendererUnavailableException(INSTALL_HINT + " (vkCreateInstance: VK_ERROR_INCOMPATIBLE_DRIVER)");
            }
            check(result, "vkCreateInstance");
            return new VkInstance(handle.get(0), info);
        }
    }

    private static VulkanDevice createOn(VkInstance instance, DeviceChoice choice) {
        try (MemoryStack stack = stackPush()) {
            PointerBuffer handles = physicalDevices(instance, stack);
            if (handles.remaining() == 0) {
                throw new RendererUnavailableException(INSTALL_HINT + " (no Vulkan device)");
            }
            if (choice.index().isPresent() && (choice.index().getAsInt() < 0 || choice.index().getAsInt() >= handles.remaining())) {
                throw new RendererUnavailableException("there is no Vulkan device " + choice.index().getAsInt()
                        + " (this machine has " + handles.remaining() + ")");
            }

            VkPhysicalDevice best = null;
            int bestRank = Integer.MAX_VALUE;
            int bestFamily = -1;
            String bestName = null;
            boolean sawCpuOnly = false;
            VkPhysicalDeviceProperties props = VkPhysicalDeviceProperties.malloc(stack);
            for (int i = 0; i < handles.remaining(); i++) {
                if (choice.index().isPresent() && choice.index().getAsInt() != i) {
                    continue;
                }
                VkPhysicalDevice candidate = new VkPhysicalDevice(handles.get(i), instance);
                vkGetPhysicalDeviceProperties(candidate, props);
                if (props.apiVersion() < VK12.VK_API_VERSION_1_2) {
                    continue;
                }
                if (props.deviceType() == VK_PHYSICAL_DEVICE_TYPE_CPU && !choice.allowCpu()) {
                    sawCpuOnly = true;
                    continue;
                }
                int family = computeFamily(candidate, stack);
                int rank = rank(props.deviceType());
                if (family >= 0 && rank < bestRank) {
                    best = candidate;
                    bestRank = rank;
                    bestFamily = family;
                    bestName = props.deviceNameString();
                }
            }
            if (best == null && sawCpuOnly) {
                throw new RendererUnavailableException("only a CPU Vulkan device was found; pass --allow-cpu to render on the CPU");
            }
            if (best == null) {
                throw new RendererUnavailableException(INSTALL_HINT + " (no Vulkan 1.2 device with a compute queue)");
            }

            VkDeviceQueueCreateInfo.Buffer queues = VkDeviceQueueCreateInfo.calloc(1, stack)
                    .sType$Default()
                    .queueFamilyIndex(bestFamily)
                    .pQueuePriorities(stack.floats(1.0f));
            VkDeviceCreateInfo deviceInfo = VkDeviceCreateInfo.calloc(stack).sType$Default().pQueueCreateInfos(queues);
            PointerBuffer deviceHandle = stack.mallocPointer(1);
            check(vkCreateDevice(best, deviceInfo, null, deviceHandle), "vkCreateDevice");
            VkDevice device = new VkDevice(deviceHandle.get(0), best, deviceInfo, VK12.VK_API_VERSION_1_2);
            PointerBuffer queueHandle = stack.mallocPointer(1);
            vkGetDeviceQueue(device, bestFamily, 0, queueHandle);
            return new VulkanDevice(instance, best, device, new VkQueue(queueHandle.get(0), device), bestFamily, bestName);
        }
    }

    /** Prefer real GPUs; lavapipe (a CPU device) is the fallback. */
    private static int rank(int deviceType) {
        return switch (deviceType) {
            case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU -> 0;
            case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU -> 1;
            case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU -> 2;
            case VK_PHYSICAL_DEVICE_TYPE_CPU -> 3;
            default -> 4;
        };
    }

    private static int computeFamily(VkPhysicalDevice device, MemoryStack stack) {
        IntBuffer count = stack.mallocInt(1);
        vkGetPhysicalDeviceQueueFamilyProperties(device, count, null);
        VkQueueFamilyProperties.Buffer families = VkQueueFamilyProperties.malloc(count.get(0), stack);
        vkGetPhysicalDeviceQueueFamilyProperties(device, count, families);
        for (int i = 0; i < count.get(0); i++) {
            if ((families.get(i).queueFlags() & VK_QUEUE_COMPUTE_BIT) != 0) {
                return i;
            }
        }
        return -1;
    }

    /** Index of a memory type with all {@code required} property flags among those {@code typeBits} allows. */
    int memoryType(int typeBits, int required) {
        for (int i = 0; i < memoryProperties.memoryTypeCount(); i++) {
            if ((typeBits & (1 << i)) != 0
                    && (memoryProperties.memoryTypes(i).propertyFlags() & required) == required) {
                return i;
            }
        }
        throw new VulkanException("no memory type with flags " + required, VK_ERROR_OUT_OF_DEVICE_MEMORY);
    }

    VkDevice device() {
        return device;
    }

    VkQueue queue() {
        return queue;
    }

    int queueFamily() {
        return queueFamily;
    }

    /** Whether the device is the CPU itself (lavapipe). */
    boolean cpu() {
        return cpu;
    }

    /** The most texels one uniform texel buffer may hold (at least 65,536 by the Vulkan spec). */
    long maxTexelBufferElements() {
        return maxTexelBufferElements;
    }

    /** The size of the largest device-local memory heap, in bytes (0 when the device reports none). */
    long largestDeviceLocalHeap() {
        long largest = 0;
        for (int i = 0; i < memoryProperties.memoryHeapCount(); i++) {
            if ((memoryProperties.memoryHeaps(i).flags() & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0) {
                largest = Math.max(largest, memoryProperties.memoryHeaps(i).size());
            }
        }
        return largest;
    }

    String name() {
        return name;
    }

    /** What the device guarantees about float arithmetic in shaders. */
    FloatControls floatControls() {
        return floatControls;
    }

    /** The facts that name this device's numerical class. */
    NumericalFacts numericalFacts() {
        return numericalFacts;
    }

    VkPhysicalDevice physicalDevice() {
        return physicalDevice;
    }

    @Override
    public void close() {
        memoryProperties.free();
        vkDestroyDevice(device, null);
        vkDestroyInstance(instance, null);
    }
}
