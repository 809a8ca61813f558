package farm.render.core.scene;

import org.joml.Vector3f;

/** Unit directions as scene records keep them: a zero vector stays zero instead of turning into NaN. */
final class Directions {
    private Directions() {
    }

    /**
     * {@code v} scaled to unit length in place, or left as it is when its length is zero. The squared
     * length is summed x, y, z from the left (JOML sums z first), so cameras, lights and normals keep the
     * bits packages and push constants had before: a worker and a verifier on different builds agree.
     */
    static Vector3f unit(Vector3f v) {
        float length = (float) Math.sqrt(v.x * v.x + v.y * v.y + v.z * v.z);
        return length == 0 ? v : v.mul(1f / length);
    }
}
