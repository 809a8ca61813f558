package farm.render.core.scene;

import org.joml.Vector3f;
import org.joml.Vector3fc;

/**
 * A KHR_lights_punctual light in world space. Point and spot lights give radiant intensity
 * (W·sr⁻¹, linear RGB: colour × intensity); a directional light gives irradiance (W·m⁻²) along
 * {@code direction}, the way the light travels. The vectors are copies the light owns.
 *
 * @param innerCone spot only: full intensity within this angle from the axis (radians)
 * @param outerCone spot only: no light beyond this angle
 */
public record PunctualLight(Kind kind, Vector3fc position, Vector3fc direction, Rgb intensity, float innerCone, float outerCone) {
    public enum Kind { POINT, SPOT, DIRECTIONAL }

    public PunctualLight {
        position = new Vector3f(position);
        direction = Directions.unit(new Vector3f(direction));
    }

    public static PunctualLight point(Vector3fc position, Rgb intensity) {
        return new PunctualLight(Kind.POINT, position, new Vector3f(0, 0, -1), intensity, 0, (float) Math.PI);
    }

    public static PunctualLight directional(Vector3fc direction, Rgb irradiance) {
        return new PunctualLight(Kind.DIRECTIONAL, new Vector3f(), direction, irradiance, 0, 0);
    }
}
