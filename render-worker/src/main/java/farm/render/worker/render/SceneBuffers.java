package farm.render.worker.render;

/** One scene uploaded to the device, with the key it was uploaded for. */
final class SceneBuffers implements AutoCloseable {
    private final String key;
    private final PackedScene packed;
    private final GpuBuffer triangles;
    private final GpuBuffer materialIds;
    private final GpuBuffer materials;
    private final GpuBuffer lights;
    private final GpuBuffer nodes;

    private SceneBuffers(String key, PackedScene packed, GpuBuffer triangles, GpuBuffer materialIds,
                         GpuBuffer materials, GpuBuffer lights, GpuBuffer nodes) {
        this.key = key;
        this.packed = packed;
        this.triangles = triangles;
        this.materialIds = materialIds;
        this.materials = materials;
        this.lights = lights;
        this.nodes = nodes;
    }

    static SceneBuffers upload(VulkanDevice device, String key, PackedScene packed) {
        GpuBuffer triangles = GpuBuffer.upload(device, packed.triangles());
        GpuBuffer materialIds = null;
        GpuBuffer materials = null;
        GpuBuffer lights = null;
        try {
            materialIds = GpuBuffer.upload(device, packed.materialIds());
            materials = GpuBuffer.upload(device, packed.materials());
            lights = GpuBuffer.upload(device, packed.lights());
            GpuBuffer nodes = GpuBuffer.upload(device, packed.nodes());
            return new SceneBuffers(key, packed, triangles, materialIds, materials, lights, nodes);
        } catch (RuntimeException e) {
            if (lights != null) {
                lights.close();
            }
            if (materials != null) {
                materials.close();
            }
            if (materialIds != null) {
                materialIds.close();
            }
            triangles.close();
            throw e;
        }
    }

    String key() {
        return key;
    }

    PackedScene packed() {
        return packed;
    }

    GpuBuffer triangles() {
        return triangles;
    }

    GpuBuffer materialIds() {
        return materialIds;
    }

    GpuBuffer materials() {
        return materials;
    }

    GpuBuffer lights() {
        return lights;
    }

    GpuBuffer nodes() {
        return nodes;
    }

    @Override
    public void close() {
        nodes.close();
        lights.close();
        materials.close();
        materialIds.close();
        triangles.close();
    }
}
