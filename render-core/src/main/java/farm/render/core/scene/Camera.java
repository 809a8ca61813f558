package farm.render.core.scene;

import org.joml.Vector3f;
import org.joml.Vector3fc;

/**
 * A pinhole perspective camera. The image aspect comes from the job's resolution, the vertical
 * field of view from the scene (glTF {@code yfov}). The vectors are copies the camera owns.
 */
public record Camera(Vector3fc position, Vector3fc forward, Vector3fc up, float verticalFovRadians) {
    public Camera {
        Vector3f unitForward = Directions.unit(new Vector3f(forward));
        Vector3f right = unitForward.cross(up, new Vector3f());
        up = Directions.unit(right.cross(unitForward));
        forward = unitForward;
        position = new Vector3f(position);
    }

    /** The unit vector to the image's right: forward × up. */
    public Vector3f right() {
        return Directions.unit(forward.cross(up, new Vector3f()));
    }

    /** Frames the given bounds from the +Z side, looking down -Z, when a scene has no camera. */
    public static Camera framing(Vector3fc min, Vector3fc max) {
        Vector3f centre = min.add(max, new Vector3f()).mul(0.5f);
        Vector3f extent = max.sub(min, new Vector3f());
        float radius = Math.max(1e-3f, extent.length() * 0.5f);
        float fov = (float) Math.toRadians(40);
        float distance = radius / (float) Math.tan(fov / 2) * 1.1f;
        return new Camera(centre.add(0, 0, distance + extent.z() * 0.5f), new Vector3f(0, 0, -1), new Vector3f(0, 1, 0), fov);
    }
}
