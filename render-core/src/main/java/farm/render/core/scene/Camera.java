package farm.render.core.scene;

/**
 * A pinhole perspective camera. The image aspect comes from the job's resolution, the vertical
 * field of view from the scene (glTF {@code yfov}).
 */
public record Camera(Vec3 position, Vec3 forward, Vec3 up, float verticalFovRadians) {
    public Camera {
        forward = forward.normalized();
        Vec3 right = forward.cross(up);
        up = right.cross(forward).normalized();
    }

    /** Frames the given bounds from the +Z side, looking down -Z, when a scene has no camera. */
    public static Camera framing(Vec3 min, Vec3 max) {
        Vec3 centre = min.plus(max).times(0.5f);
        Vec3 extent = max.minus(min);
        float radius = Math.max(1e-3f, extent.length() * 0.5f);
        float fov = (float) Math.toRadians(40);
        float distance = radius / (float) Math.tan(fov / 2) * 1.1f;
        return new Camera(centre.plus(new Vec3(0, 0, distance + extent.z() * 0.5f)),
                new Vec3(0, 0, -1), new Vec3(0, 1, 0), fov);
    }
}
