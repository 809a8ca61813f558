package farm.render.core.scene;

/** The four glTF metallic-roughness texture slots of a material; {@link TextureSlot#NONE} where unused. */
public record MaterialTextures(TextureSlot baseColor, TextureSlot metallicRoughness, TextureSlot normal,
                               TextureSlot emissive) {
    public static final MaterialTextures NONE = new MaterialTextures(TextureSlot.NONE, TextureSlot.NONE, TextureSlot.NONE,
            TextureSlot.NONE);

    public MaterialTextures {
        baseColor = baseColor == null ? TextureSlot.NONE : baseColor;
        metallicRoughness = metallicRoughness == null ? TextureSlot.NONE : metallicRoughness;
        normal = normal == null ? TextureSlot.NONE : normal;
        emissive = emissive == null ? TextureSlot.NONE : emissive;
    }

    public TextureSlot[] slots() {
        return new TextureSlot[]{baseColor, metallicRoughness, normal, emissive};
    }

    public boolean any() {
        return baseColor.present() || metallicRoughness.present() || normal.present() || emissive.present();
    }
}
