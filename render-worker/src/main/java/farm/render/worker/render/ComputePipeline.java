package farm.render.worker.render;

import static farm.render.worker.render.VkResults.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.VkComputePipelineCreateInfo;
import org.lwjgl.vulkan.VkDescriptorBufferInfo;
import org.lwjgl.vulkan.VkDescriptorPoolCreateInfo;
import org.lwjgl.vulkan.VkDescriptorPoolSize;
import org.lwjgl.vulkan.VkDescriptorSetAllocateInfo;
import org.lwjgl.vulkan.VkDescriptorSetLayoutBinding;
import org.lwjgl.vulkan.VkDescriptorSetLayoutCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkPipelineLayoutCreateInfo;
import org.lwjgl.vulkan.VkPushConstantRange;
import org.lwjgl.vulkan.VkShaderModuleCreateInfo;
import org.lwjgl.vulkan.VkSpecializationInfo;
import org.lwjgl.vulkan.VkSpecializationMapEntry;
import org.lwjgl.vulkan.VkWriteDescriptorSet;

/**
 * The path tracing compute pipeline: one descriptor set (bindings as in scene.glsl: the scene's data
 * as uniform texel buffers, the pixel list and the radiance as storage buffers), a push-constant block of {@link PushConstants#SIZE} bytes, and its descriptor set; built
 * for one set of scene features (scene.glsl's specialization constant FEATURES, bits of
 * {@link PackedScene}'s FEATURE_* constants).
 */
final class ComputePipeline implements AutoCloseable {
    static final int BINDING_COUNT = 12;
    /** Texel format of each binding's view, or {@link #STORAGE} for a storage buffer, in scene.glsl's order. */
    private static final int STORAGE = VK_FORMAT_UNDEFINED;
    private static final int[] FORMATS = {
        VK_FORMAT_R32G32B32A32_UINT, VK_FORMAT_R32G32B32A32_UINT, VK_FORMAT_R32G32B32A32_UINT, VK_FORMAT_R32G32B32A32_UINT,
        STORAGE, STORAGE, VK_FORMAT_R32G32B32A32_UINT, VK_FORMAT_R32G32B32A32_UINT, VK_FORMAT_R32G32B32A32_UINT,
        VK_FORMAT_R32_UINT, VK_FORMAT_R32_UINT, VK_FORMAT_R32G32B32A32_UINT,
    };
    static final int LOCAL_SIZE = 64;

    private final VkDevice device;
    private final long setLayout;
    private final long pipelineLayout;
    private final long pipeline;
    private final long descriptorPool;
    private final long descriptorSet;
    private final long maxTexels;

    private ComputePipeline(VkDevice device, long setLayout, long pipelineLayout, long pipeline,
                            long descriptorPool, long descriptorSet, long maxTexels) {
        this.device = device;
        this.maxTexels = maxTexels;
        this.setLayout = setLayout;
        this.pipelineLayout = pipelineLayout;
        this.pipeline = pipeline;
        this.descriptorPool = descriptorPool;
        this.descriptorSet = descriptorSet;
    }

    static ComputePipeline create(VulkanDevice owner, byte[] spirv, int features) {
        VkDevice device = owner.device();
        long setLayout = VK_NULL_HANDLE;
        long pipelineLayout = VK_NULL_HANDLE;
        long module = VK_NULL_HANDLE;
        long pipeline = VK_NULL_HANDLE;
        long pool = VK_NULL_HANDLE;
        ByteBuffer code = MemoryUtil.memAlloc(spirv.length);
        try (MemoryStack stack = stackPush()) {
            LongBuffer handle = stack.mallocLong(1);

            VkDescriptorSetLayoutBinding.Buffer bindings = VkDescriptorSetLayoutBinding.calloc(BINDING_COUNT, stack);
            for (int i = 0; i < BINDING_COUNT; i++) {
                bindings.get(i).binding(i).descriptorType(descriptorType(i))
                        .descriptorCount(1).stageFlags(VK_SHADER_STAGE_COMPUTE_BIT);
            }
            check(vkCreateDescriptorSetLayout(device,
                    VkDescriptorSetLayoutCreateInfo.calloc(stack).sType$Default().pBindings(bindings), null, handle),
                    "vkCreateDescriptorSetLayout");
            setLayout = handle.get(0);

            VkPushConstantRange.Buffer range = VkPushConstantRange.calloc(1, stack)
                    .stageFlags(VK_SHADER_STAGE_COMPUTE_BIT).offset(0).size(PushConstants.SIZE);
            check(vkCreatePipelineLayout(device, VkPipelineLayoutCreateInfo.calloc(stack).sType$Default()
                    .pSetLayouts(stack.longs(setLayout)).pPushConstantRanges(range), null, handle),
                    "vkCreatePipelineLayout");
            pipelineLayout = handle.get(0);

            code.put(spirv).flip();
            check(vkCreateShaderModule(device, VkShaderModuleCreateInfo.calloc(stack).sType$Default().pCode(code),
                    null, handle), "vkCreateShaderModule");
            module = handle.get(0);

            VkComputePipelineCreateInfo.Buffer info = VkComputePipelineCreateInfo.calloc(1, stack).sType$Default()
                    .layout(pipelineLayout);
            VkSpecializationMapEntry.Buffer entries = VkSpecializationMapEntry.calloc(1, stack).constantID(0).offset(0).size(4);
            VkSpecializationInfo specialization = VkSpecializationInfo.calloc(stack).pMapEntries(entries)
                    .pData(stack.malloc(4).putInt(0, features));
            info.stage().sType$Default().stage(VK_SHADER_STAGE_COMPUTE_BIT).module(module).pName(stack.UTF8("main"))
                    .pSpecializationInfo(specialization);
            check(vkCreateComputePipelines(device, VK_NULL_HANDLE, info, null, handle), "vkCreateComputePipelines");
            pipeline = handle.get(0);

            int storage = (int) java.util.Arrays.stream(FORMATS).filter(f -> f == STORAGE).count();
            VkDescriptorPoolSize.Buffer sizes = VkDescriptorPoolSize.calloc(2, stack);
            sizes.get(0).type(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(storage);
            sizes.get(1).type(VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER).descriptorCount(BINDING_COUNT - storage);
            check(vkCreateDescriptorPool(device, VkDescriptorPoolCreateInfo.calloc(stack).sType$Default()
                    .maxSets(1).pPoolSizes(sizes), null, handle), "vkCreateDescriptorPool");
            pool = handle.get(0);

            check(vkAllocateDescriptorSets(device, VkDescriptorSetAllocateInfo.calloc(stack).sType$Default()
                    .descriptorPool(pool).pSetLayouts(stack.longs(setLayout)), handle), "vkAllocateDescriptorSets");
            long set = handle.get(0);
            return new ComputePipeline(device, setLayout, pipelineLayout, pipeline, pool, set, owner.maxTexelBufferElements());
        } catch (RuntimeException e) {
            if (pool != VK_NULL_HANDLE) {
                vkDestroyDescriptorPool(device, pool, null);
            }
            if (pipeline != VK_NULL_HANDLE) {
                vkDestroyPipeline(device, pipeline, null);
            }
            if (pipelineLayout != VK_NULL_HANDLE) {
                vkDestroyPipelineLayout(device, pipelineLayout, null);
            }
            if (setLayout != VK_NULL_HANDLE) {
                vkDestroyDescriptorSetLayout(device, setLayout, null);
            }
            throw e;
        } finally {
            if (module != VK_NULL_HANDLE) {
                vkDestroyShaderModule(device, module, null);
            }
            MemoryUtil.memFree(code);
        }
    }

    /**
     * Points binding i at buffers[i]; only while no dispatch using the set is in flight. Throws
     * IllegalArgumentException when a scene buffer holds more texels than the device allows.
     */
    void bind(GpuBuffer... buffers) {
        if (buffers.length != BINDING_COUNT) {
            throw new IllegalArgumentException("expected " + BINDING_COUNT + " buffers");
        }
        for (int i = 0; i < BINDING_COUNT; i++) {
            long texels = FORMATS[i] == STORAGE ? 0 : buffers[i].size() / (FORMATS[i] == VK_FORMAT_R32_UINT ? 4 : 16);
            if (texels > maxTexels) {
                throw new IllegalArgumentException("the scene is too large for this device: binding " + i + " needs "
                        + texels + " texels, the device allows " + maxTexels);
            }
        }
        try (MemoryStack stack = stackPush()) {
            VkWriteDescriptorSet.Buffer writes = VkWriteDescriptorSet.calloc(BINDING_COUNT, stack);
            for (int i = 0; i < BINDING_COUNT; i++) {
                VkWriteDescriptorSet write = writes.get(i).sType$Default().dstSet(descriptorSet).dstBinding(i)
                        .descriptorType(descriptorType(i)).descriptorCount(1);
                if (FORMATS[i] == STORAGE) {
                    write.pBufferInfo(VkDescriptorBufferInfo.calloc(1, stack)
                            .buffer(buffers[i].handle()).offset(0).range(VK_WHOLE_SIZE));
                } else {
                    write.pTexelBufferView(stack.longs(buffers[i].view(FORMATS[i])));
                }
            }
            vkUpdateDescriptorSets(device, writes, null);
        }
    }

    private static int descriptorType(int binding) {
        return FORMATS[binding] == STORAGE ? VK_DESCRIPTOR_TYPE_STORAGE_BUFFER : VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
    }

    long pipeline() {
        return pipeline;
    }

    long layout() {
        return pipelineLayout;
    }

    long descriptorSet() {
        return descriptorSet;
    }

    @Override
    public void close() {
        vkDestroyDescriptorPool(device, descriptorPool, null);
        vkDestroyPipeline(device, pipeline, null);
        vkDestroyPipelineLayout(device, pipelineLayout, null);
        vkDestroyDescriptorSetLayout(device, setLayout, null);
    }
}
