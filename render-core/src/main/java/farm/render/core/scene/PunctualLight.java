package farm.render.core.scene;

/**
 * A KHR_lights_punctual light in world space. Point and spot lights give radiant intensity
 * (W·sr⁻¹, linear RGB: colour × intensity); a directional light gives irradiance (W·m⁻²) along
 * {@code direction}, the way the light travels.
 *
 * @param innerCone spot only: full intensity within this angle from the axis (radians)
 * @param outerCone spot only: no light beyond this angle
 */
public record PunctualLight(Kind kind, Vec3 position, Vec3 direction, Rgb intensity, float innerCone, float outerCone) {
    public enum Kind { POINT, SPOT, DIRECTIONAL }

    public PunctualLight {
        direction = direction.normalized();
    }

    public static PunctualLight point(Vec3 position, Rgb intensity) {
        return new PunctualLight(Kind.POINT, position, new Vec3(0, 0, -1), intensity, 0, (float) Math.PI);
    }

    public static PunctualLight directional(Vec3 direction, Rgb irradiance) {
        return new PunctualLight(Kind.DIRECTIONAL, new Vec3(0, 0, 0), direction, irradiance, 0, 0);
    }
}
