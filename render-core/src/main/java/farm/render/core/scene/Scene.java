package farm.render.core.scene;

import java.util.List;

/**
 * A renderable scene: world-space triangles with one material each, and a camera. This is what the
 * canonical scene package holds and what every renderer (worker and verifier) draws.
 *
 * @param positions   nine floats per triangle (three vertices, x y z each), world space
 * @param materialIds one material index per triangle
 * @param unsupported features of the source file this version does not render, for the scene summary
 */
public record Scene(Camera camera, List<Material> materials, float[] positions, int[] materialIds,
                    List<String> unsupported) {
    public Scene {
        materials = List.copyOf(materials);
        unsupported = List.copyOf(unsupported);
        if (positions.length != materialIds.length * 9) {
            throw new IllegalArgumentException("positions must hold nine floats per triangle");
        }
    }

    public int triangleCount() {
        return materialIds.length;
    }

    public Vec3 vertex(int triangle, int corner) {
        int o = triangle * 9 + corner * 3;
        return new Vec3(positions[o], positions[o + 1], positions[o + 2]);
    }

    public long emissiveTriangleCount() {
        long n = 0;
        for (int id : materialIds) {
            if (materials.get(id).isEmissive()) {
                n++;
            }
        }
        return n;
    }
}
