package farm.render.worker.render;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** One scene uploaded to the device, with the key it was uploaded for and its facts (the host's copy is dropped). */
final class SceneBuffers implements AutoCloseable {
    private final String key;
    private final SceneFacts facts;
    private final List<GpuBuffer> buffers;

    private SceneBuffers(String key, SceneFacts facts, List<GpuBuffer> buffers) {
        this.key = key;
        this.facts = facts;
        this.buffers = buffers;
    }

    static SceneBuffers upload(VulkanDevice device, String key, PackedScene packed) {
        List<GpuBuffer> uploaded = new ArrayList<>();
        try {
            for (ByteBuffer data : packed.buffers()) {
                uploaded.add(GpuBuffer.upload(device, data));
            }
            return new SceneBuffers(key, packed.facts(), List.copyOf(uploaded));
        } catch (RuntimeException e) {
            for (int i = uploaded.size() - 1; i >= 0; i--) {
                uploaded.get(i).close();
            }
            throw e;
        }
    }

    String key() {
        return key;
    }

    SceneFacts facts() {
        return facts;
    }

    GpuBuffer vertices() {
        return buffers.get(0);
    }

    GpuBuffer triangles() {
        return buffers.get(1);
    }

    GpuBuffer materials() {
        return buffers.get(2);
    }

    GpuBuffer lights() {
        return buffers.get(3);
    }

    GpuBuffer nodes() {
        return buffers.get(4);
    }

    GpuBuffer punctual() {
        return buffers.get(5);
    }

    GpuBuffer shading() {
        return buffers.get(6);
    }

    GpuBuffer textures() {
        return buffers.get(7);
    }

    GpuBuffer environment() {
        return buffers.get(8);
    }

    @Override
    public void close() {
        for (int i = buffers.size() - 1; i >= 0; i--) {
            buffers.get(i).close();
        }
    }
}
