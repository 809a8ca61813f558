package farm.render.core.scene;

import org.joml.Vector3f;

/** Unit directions as scene records keep them: a zero vector stays zero instead of turning into NaN. */
final class Directions {
    private Directions() {
    }

    /** {@code v} scaled to unit length in place, or left as it is when its length is zero. */
    static Vector3f unit(Vector3f v) {
        return v.lengthSquared() == 0 ? v : v.normalize();
    }
}
