package farm.render.worker.render;

import farm.render.core.scene.Material;
import farm.render.core.scene.PunctualLight;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Vec3;
import farm.render.core.scene.Scene;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A scene in the byte layout of scene.glsl: triangles as (v0, v1 - v0, v2 - v0) vec4s, one material
 * id per triangle, materials as (baseColor, emission) vec4 pairs, and the emissive triangles with
 * their area cdf for light sampling. Pure Java, so the layout is testable without a device.
 */
record PackedScene(ByteBuffer triangles, ByteBuffer materialIds, ByteBuffer materials, ByteBuffer lights,
                   ByteBuffer nodes, ByteBuffer punctual, int triangleCount, int nodeCount, int lightCount,
                   float totalLightArea, int punctualCount) {

    static PackedScene of(Scene scene) {
        int n = scene.triangleCount();
        float[] p = scene.positions();
        int[] ids = scene.materialIds();
        List<Material> mats = scene.materials();
        // Triangles go up in the hierarchy's order, so a leaf's triangles are contiguous.
        int[] order = scene.bvh().primitives();

        ByteBuffer triangles = le(n * 3 * 16);
        ByteBuffer materialIds = le(n * 4);
        List<Integer> lightTriangles = new ArrayList<>();
        List<Double> lightAreas = new ArrayList<>();
        double total = 0;
        for (int slot = 0; slot < n; slot++) {
            int t = order[slot];
            int id = ids[t];
            if (id < 0 || id >= mats.size()) {
                throw new IllegalArgumentException("triangle " + t + " has material " + id
                        + " but the scene has " + mats.size() + " materials");
            }
            int o = t * 9;
            float e1x = p[o + 3] - p[o];
            float e1y = p[o + 4] - p[o + 1];
            float e1z = p[o + 5] - p[o + 2];
            float e2x = p[o + 6] - p[o];
            float e2y = p[o + 7] - p[o + 1];
            float e2z = p[o + 8] - p[o + 2];
            triangles.putFloat(p[o]).putFloat(p[o + 1]).putFloat(p[o + 2]).putFloat(0);
            triangles.putFloat(e1x).putFloat(e1y).putFloat(e1z).putFloat(0);
            triangles.putFloat(e2x).putFloat(e2y).putFloat(e2z).putFloat(0);
            materialIds.putInt(id);
            if (mats.get(id).isEmissive() && Double.isFinite(total)) {
                double cx = (double) e1y * e2z - (double) e1z * e2y;
                double cy = (double) e1z * e2x - (double) e1x * e2z;
                double cz = (double) e1x * e2y - (double) e1y * e2x;
                double area = 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
                if (area > 0 && Double.isFinite(area)) {
                    lightTriangles.add(slot);
                    lightAreas.add(area);
                    total += area;
                }
            }
        }

        ByteBuffer materials = le(mats.size() * 48);
        for (Material m : mats) {
            materials.putFloat(m.baseColor().r()).putFloat(m.baseColor().g()).putFloat(m.baseColor().b()).putFloat(m.metallic());
            materials.putFloat(Math.max(0, m.emission().r())).putFloat(Math.max(0, m.emission().g()))
                    .putFloat(Math.max(0, m.emission().b())).putFloat(m.doubleSided() ? 1 : 0);
            // GGX alpha is perceptual roughness squared (glTF 2.0 specification, appendix B).
            materials.putFloat(m.roughness() * m.roughness()).putFloat(m.specular()).putFloat(0).putFloat(0);
        }

        int lightCount = lightTriangles.size();
        ByteBuffer lights = le(lightCount * 16);
        double running = 0;
        for (int i = 0; i < lightCount; i++) {
            running += lightAreas.get(i);
            // The last cdf entry is exactly 1 so every u in [0,1) finds a light.
            float cdf = i == lightCount - 1 ? 1.0f : (float) (running / total);
            lights.putInt(lightTriangles.get(i)).putFloat(cdf).putFloat(lightAreas.get(i).floatValue()).putFloat(0);
        }
        float[] bounds = scene.bvh().bounds();
        int[] links = scene.bvh().links();
        int nodeCount = scene.bvh().nodeCount();
        ByteBuffer nodes = le(nodeCount * 32);
        for (int i = 0; i < nodeCount; i++) {
            nodes.putFloat(bounds[i * 6]).putFloat(bounds[i * 6 + 1]).putFloat(bounds[i * 6 + 2]).putInt(links[i * 2]);
            nodes.putFloat(bounds[i * 6 + 3]).putFloat(bounds[i * 6 + 4]).putFloat(bounds[i * 6 + 5]).putInt(links[i * 2 + 1]);
        }
        List<PunctualLight> punctualLights = scene.lights();
        ByteBuffer punctual = le(16 + punctualLights.size() * 48);
        Rgb environment = scene.environment();
        punctual.putFloat(Math.max(0, environment.r())).putFloat(Math.max(0, environment.g()))
                .putFloat(Math.max(0, environment.b())).putFloat(0);
        for (PunctualLight l : punctualLights) {
            Vec3 d = l.direction();
            punctual.putFloat(l.position().x()).putFloat(l.position().y()).putFloat(l.position().z()).putFloat(l.kind().ordinal());
            punctual.putFloat(d.x()).putFloat(d.y()).putFloat(d.z()).putFloat((float) Math.cos(l.innerCone()));
            punctual.putFloat(Math.max(0, l.intensity().r())).putFloat(Math.max(0, l.intensity().g()))
                    .putFloat(Math.max(0, l.intensity().b())).putFloat((float) Math.cos(l.outerCone()));
        }
        return new PackedScene(triangles.flip(), materialIds.flip(), materials.flip(), lights.flip(), nodes.flip(),
                punctual.flip(), n, nodeCount, lightCount, (float) total, punctualLights.size());
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
