package farm.render.worker.render;

import static farm.render.worker.render.VkResults.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkMemoryBarrier;
import org.lwjgl.vulkan.VkQueue;
import org.lwjgl.vulkan.VkSubmitInfo;

/** A command pool, one reusable command buffer and a fence: submits one dispatch and waits for it. */
final class ComputeQueue implements AutoCloseable {
    private final VkDevice device;
    private final VkQueue queue;
    private final long commandPool;
    private final VkCommandBuffer commands;
    private final long fence;

    private ComputeQueue(VkDevice device, VkQueue queue, long commandPool, VkCommandBuffer commands, long fence) {
        this.device = device;
        this.queue = queue;
        this.commandPool = commandPool;
        this.commands = commands;
        this.fence = fence;
    }

    static ComputeQueue create(VulkanDevice owner) {
        VkDevice device = owner.device();
        try (MemoryStack stack = stackPush()) {
            LongBuffer handle = stack.mallocLong(1);
            check(vkCreateCommandPool(device, VkCommandPoolCreateInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT)
                    .queueFamilyIndex(owner.queueFamily()), null, handle), "vkCreateCommandPool");
            long pool = handle.get(0);
            try {
                PointerBuffer buffer = stack.mallocPointer(1);
                check(vkAllocateCommandBuffers(device, VkCommandBufferAllocateInfo.calloc(stack).sType$Default()
                        .commandPool(pool).level(VK_COMMAND_BUFFER_LEVEL_PRIMARY).commandBufferCount(1), buffer),
                        "vkAllocateCommandBuffers");
                VkCommandBuffer commands = new VkCommandBuffer(buffer.get(0), device);
                check(vkCreateFence(device, VkFenceCreateInfo.calloc(stack).sType$Default(), null, handle),
                        "vkCreateFence");
                return new ComputeQueue(device, owner.queue(), pool, commands, handle.get(0));
            } catch (RuntimeException e) {
                vkDestroyCommandPool(device, pool, null);
                throw e;
            }
        }
    }

    /** Runs {@code groups} workgroups of the pipeline with the given push constants and waits for them. */
    void dispatchAndWait(ComputePipeline pipeline, ByteBuffer pushConstants, int groups) {
        try (MemoryStack stack = stackPush()) {
            check(vkResetCommandBuffer(commands, 0), "vkResetCommandBuffer");
            check(vkBeginCommandBuffer(commands, VkCommandBufferBeginInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT)), "vkBeginCommandBuffer");
            vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.pipeline());
            vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout(), 0,
                    stack.longs(pipeline.descriptorSet()), null);
            vkCmdPushConstants(commands, pipeline.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, pushConstants);
            vkCmdDispatch(commands, groups, 1, 1);
            // Shader writes must be visible to the host and to the next pass, which adds to the same sums.
            VkMemoryBarrier.Buffer barrier = VkMemoryBarrier.calloc(1, stack).sType$Default()
                    .srcAccessMask(VK_ACCESS_SHADER_WRITE_BIT)
                    .dstAccessMask(VK_ACCESS_HOST_READ_BIT | VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
            vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                    VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, barrier, null, null);
            check(vkEndCommandBuffer(commands), "vkEndCommandBuffer");

            VkSubmitInfo submit = VkSubmitInfo.calloc(stack).sType$Default().pCommandBuffers(stack.pointers(commands));
            check(vkResetFences(device, fence), "vkResetFences");
            check(vkQueueSubmit(queue, submit, fence), "vkQueueSubmit");
            check(vkWaitForFences(device, fence, true, Long.MAX_VALUE), "vkWaitForFences");
        }
    }

    @Override
    public void close() {
        vkDestroyFence(device, fence, null);
        vkDestroyCommandPool(device, commandPool, null);
    }
}
