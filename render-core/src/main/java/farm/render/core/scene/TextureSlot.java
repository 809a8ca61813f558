package farm.render.core.scene;

/**
 * A material's use of one texture (glTF textureInfo): which texture, which UV set, and the
 * KHR_texture_transform applied to the UVs before the lookup.
 *
 * @param texture  index into {@link Scene#textures()}, or -1 for no texture
 * @param texCoord UV set 0 or 1
 * @param strength normalTexture.scale for normal maps; 1 elsewhere
 */
public record TextureSlot(int texture, int texCoord, float offsetX, float offsetY, float rotation, float scaleX,
                          float scaleY, float strength) {
    public static final TextureSlot NONE = new TextureSlot(-1, 0, 0, 0, 0, 1, 1, 1);

    public TextureSlot {
        texture = Math.max(-1, texture);
        texCoord = texCoord == 1 ? 1 : 0;
        offsetX = finiteOr(offsetX, 0);
        offsetY = finiteOr(offsetY, 0);
        rotation = finiteOr(rotation, 0);
        scaleX = finiteOr(scaleX, 1);
        scaleY = finiteOr(scaleY, 1);
        strength = finiteOr(strength, 1);
    }

    public static TextureSlot of(int texture, int texCoord) {
        return new TextureSlot(texture, texCoord, 0, 0, 0, 1, 1, 1);
    }

    public boolean present() {
        return texture >= 0;
    }

    /**
     * The UV transform as two rows of a 2×3 matrix: uv' = T · R · S · uv (KHR_texture_transform,
     * with R = [cos sin; −sin cos]).
     */
    public float[] matrix() {
        float c = (float) Math.cos(rotation);
        float s = (float) Math.sin(rotation);
        return new float[]{c * scaleX, s * scaleY, offsetX, -s * scaleX, c * scaleY, offsetY};
    }

    private static float finiteOr(float v, float fallback) {
        return Float.isFinite(v) ? v : fallback;
    }
}
