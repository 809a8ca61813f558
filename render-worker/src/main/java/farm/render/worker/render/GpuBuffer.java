package farm.render.worker.render;

import static farm.render.worker.render.VkResults.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.VkBufferCreateInfo;
import org.lwjgl.vulkan.VkBufferViewCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkMemoryAllocateInfo;
import org.lwjgl.vulkan.VkMemoryRequirements;

/**
 * A buffer in host-visible, host-coherent memory, mapped for its whole life, usable as a storage buffer
 * or, through a view of one texel format, as a uniform texel buffer. Fine for CPU devices and small
 * scenes; a device-local copy would be the step for large scenes on discrete GPUs.
 */
final class GpuBuffer implements AutoCloseable {
    /** Vulkan forbids empty buffers, so an empty list still gets this many bytes. */
    private static final long MIN_SIZE = 16;

    private final VkDevice device;
    private final long buffer;
    private final long memory;
    private final long size;
    private final ByteBuffer mapped;
    private long view = VK_NULL_HANDLE;
    private int viewFormat;

    private GpuBuffer(VkDevice device, long buffer, long memory, long size, ByteBuffer mapped) {
        this.device = device;
        this.buffer = buffer;
        this.memory = memory;
        this.size = size;
        this.mapped = mapped;
    }

    static GpuBuffer create(VulkanDevice owner, long requestedSize) {
        VkDevice device = owner.device();
        long size = Math.max(MIN_SIZE, requestedSize);
        try (MemoryStack stack = stackPush()) {
            VkBufferCreateInfo info = VkBufferCreateInfo.calloc(stack)
                    .sType$Default()
                    .size(size)
                    .usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT)
                    .sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            LongBuffer handle = stack.mallocLong(1);
            check(vkCreateBuffer(device, info, null, handle), "vkCreateBuffer");
            long buffer = handle.get(0);
            long memory = VK_NULL_HANDLE;
            try {
                VkMemoryRequirements req = VkMemoryRequirements.malloc(stack);
                vkGetBufferMemoryRequirements(device, buffer, req);
                VkMemoryAllocateInfo alloc = VkMemoryAllocateInfo.calloc(stack)
                        .sType$Default()
                        .allocationSize(req.size())
                        .memoryTypeIndex(owner.memoryType(req.memoryTypeBits(),
                                VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT));
                check(vkAllocateMemory(device, alloc, null, handle), "vkAllocateMemory");
                memory = handle.get(0);
                check(vkBindBufferMemory(device, buffer, memory, 0), "vkBindBufferMemory");
                PointerBuffer pointer = stack.mallocPointer(1);
                check(vkMapMemory(device, memory, 0, size, 0, pointer), "vkMapMemory");
                ByteBuffer mapped = MemoryUtil.memByteBuffer(pointer.get(0), (int) size).order(ByteOrder.LITTLE_ENDIAN);
                return new GpuBuffer(device, buffer, memory, size, mapped);
            } catch (RuntimeException e) {
                if (memory != VK_NULL_HANDLE) {
                    vkFreeMemory(device, memory, null);
                }
                vkDestroyBuffer(device, buffer, null);
                throw e;
            }
        }
    }

    /** Creates a buffer holding exactly the given bytes (position to limit). */
    static GpuBuffer upload(VulkanDevice owner, ByteBuffer contents) {
        GpuBuffer b = create(owner, contents.remaining());
        b.mapped.clear();
        b.mapped.put(contents.duplicate());
        b.mapped.clear();
        return b;
    }

    long handle() {
        return buffer;
    }

    long size() {
        return size;
    }

    /** A view of the whole buffer as texels of the given format, made on first use and kept until {@link #close()}. */
    long view(int format) {
        if (view != VK_NULL_HANDLE) {
            if (format != viewFormat) {
                throw new IllegalStateException("buffer already viewed as format " + viewFormat);
            }
            return view;
        }
        try (MemoryStack stack = stackPush()) {
            LongBuffer handle = stack.mallocLong(1);
            check(vkCreateBufferView(device, VkBufferViewCreateInfo.calloc(stack).sType$Default().buffer(buffer)
                    .format(format).offset(0).range(VK_WHOLE_SIZE), null, handle), "vkCreateBufferView");
            view = handle.get(0);
            viewFormat = format;
            return view;
        }
    }

    /** The mapped bytes, little-endian, position 0; callers must not keep it past {@link #close()}. */
    ByteBuffer mapped() {
        return mapped.clear();
    }

    @Override
    public void close() {
        if (view != VK_NULL_HANDLE) {
            vkDestroyBufferView(device, view, null);
        }
        vkUnmapMemory(device, memory);
        vkFreeMemory(device, memory, null);
        vkDestroyBuffer(device, buffer, null);
    }
}
