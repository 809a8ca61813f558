package farm.render.worker.render;

import farm.render.core.scene.Scene;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * Packs {@code scene} straight into device memory: its large buffers are made on the device and written through
     * their mapping, the small ones copied, so the host never holds the packed scene.
     */
    static SceneBuffers upload(VulkanDevice device, String key, Scene scene) {
        Map<ByteBuffer, GpuBuffer> made = new IdentityHashMap<>();
        List<GpuBuffer> uploaded = new ArrayList<>();
        try {
            PackedScene packed = PackedScene.of(scene, bytes -> {
                GpuBuffer buffer = GpuBuffer.create(device, bytes);
                made.put(buffer.mapped(), buffer);
                return buffer.mapped();
            });
            for (ByteBuffer data : packed.buffers()) {
                GpuBuffer buffer = made.remove(data);
                uploaded.add(buffer != null ? buffer : GpuBuffer.upload(device, data));
            }
            return new SceneBuffers(key, packed.facts(), List.copyOf(uploaded));
        } catch (RuntimeException e) {
            for (int i = uploaded.size() - 1; i >= 0; i--) {
                uploaded.get(i).close();
            }
            throw e;
        } finally {
            made.values().forEach(GpuBuffer::close);
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

    GpuBuffer instances() {
        return buffers.get(9);
    }

    @Override
    public void close() {
        for (int i = buffers.size() - 1; i >= 0; i--) {
            buffers.get(i).close();
        }
    }
}
