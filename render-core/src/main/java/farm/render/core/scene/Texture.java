package farm.render.core.scene;

import java.util.Arrays;

/**
 * A decoded texture: 8-bit RGBA texels, rows top to bottom as the source image stores them, and its
 * glTF sampler. Colour textures hold sRGB-encoded values; the renderer decodes them per texel when a
 * material uses them as base or emissive colour, and reads data textures (metallic-roughness, normal)
 * as they are.
 *
 * @param rgba    width × height × 4 bytes
 * @param nearest magnification by the nearest texel instead of bilinear filtering
 */
public record Texture(int width, int height, Wrap wrapS, Wrap wrapT, boolean nearest, byte[] rgba) {
    /** glTF sampler wrap modes (10497 REPEAT, 33071 CLAMP_TO_EDGE, 33648 MIRRORED_REPEAT). */
    public enum Wrap {
        REPEAT, CLAMP, MIRROR;

        public static Wrap fromGl(int glEnum) {
            return switch (glEnum) {
                case 33071 -> CLAMP;
                case 33648 -> MIRROR;
                default -> REPEAT;
            };
        }
    }

    public Texture {
        if (width < 1 || height < 1 || (long) width * height * 4 != rgba.length) {
            throw new IllegalArgumentException("texture of " + width + "x" + height + " needs " + (long) width * height * 4
                    + " bytes, has " + rgba.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Texture t && t.width == width && t.height == height && t.wrapS == wrapS && t.wrapT == wrapT
                && t.nearest == nearest && Arrays.equals(t.rgba, rgba);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rgba) * 31 + width;
    }

    @Override
    public String toString() {
        return "Texture[" + width + "x" + height + " " + wrapS + "/" + wrapT + (nearest ? " nearest" : " bilinear") + "]";
    }
}
