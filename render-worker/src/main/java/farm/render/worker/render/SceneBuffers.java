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
    private final GpuBuffer punctual;

    private SceneBuffers(String key, PackedScene packed, GpuBuffer triangles, GpuBuffer materialIds,
                         GpuBuffer materials, GpuBuffer lights, GpuBuffer nodes, GpuBuffer punctual) {
        this.key = key;
        this.packed = packed;
        this.triangles = triangles;
        this.materialIds = materialIds;
        this.materials = materials;
        this.lights = lights;
        this.nodes = nodes;
        this.punctual = punctual;
    }

    static SceneBuffers upload(VulkanDevice device, String key, PackedScene packed) {
        GpuBuffer triangles = GpuBuffer.upload(device, packed.triangles());
        GpuBuffer materialIds = null;
        GpuBuffer materials = null;
        GpuBuffer lights = null;
        GpuBuffer nodes = null;
        try {
            materialIds = GpuBuffer.upload(device, packed.materialIds());
            materials = GpuBuffer.upload(device, packed.materials());
            lights = GpuBuffer.upload(device, packed.lights());
            nodes = GpuBuffer.upload(device, packed.nodes());
            GpuBuffer punctual = GpuBuffer.upload(device, packed.punctual());
            return new SceneBuffers(key, packed, triangles, materialIds, materials, lights, nodes, punctual);
        } catch (RuntimeException e) {
            if (nodes != null) {
                nodes.close();
            }
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

    GpuBuffer punctual() {
        return punctual;
    }

    @Override
    public void close() {
        punctual.close();
        nodes.close();
        lights.close();
        materials.close();
        materialIds.close();
        triangles.close();
    }
}
