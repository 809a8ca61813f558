package farm.render.core.scene;

/**
 * A glTF 2.0 metallic-roughness surface (glTF 2.0 specification, appendix B): a Lambertian base and a
 * GGX specular layer mixed by Fresnel, metals tinting the specular by the base colour; with optional
 * emission (radiance in W·sr⁻¹·m⁻², linear RGB), textures, and alpha masking.
 *
 * @param metallic      0 dielectric .. 1 metal
 * @param roughness     perceptual roughness; the GGX alpha is its square
 * @param specular      KHR_materials_specular specularFactor: scales the dielectric specular layer (0 = pure diffuse)
 * @param doubleSided   emits from both faces when true; reflection always uses the face that was hit
 * @param specularColor KHR_materials_specular specularColorFactor: tints the dielectric F0
 * @param ior           KHR_materials_ior: the dielectric F0 is ((ior − 1) / (ior + 1))², 0.04 at the default 1.5
 * @param opacity       baseColorFactor's alpha, multiplied by the base colour texture's alpha where there is one
 * @param alphaCutoff   alphaMode MASK: a surface point whose opacity is below this is not there; negative: opaque
 */
public record Material(String name, Rgb baseColor, Rgb emission, float metallic, float roughness, float specular,
                       boolean doubleSided, Rgb specularColor, float ior, float opacity, float alphaCutoff,
                       MaterialTextures textures) {
    public static final float DEFAULT_IOR = 1.5f;

    public Material {
        name = name == null ? "" : name;
        metallic = clamp01(metallic);
        roughness = clamp01(roughness);
        specular = clamp01(specular);
        specularColor = specularColor == null || !specularColor.isFinite() ? new Rgb(1, 1, 1) : specularColor;
        ior = Float.isFinite(ior) && ior >= 1f ? Math.min(ior, 10f) : DEFAULT_IOR;
        opacity = clamp01(Float.isNaN(opacity) ? 1f : opacity);
        alphaCutoff = Float.isFinite(alphaCutoff) ? Math.min(alphaCutoff, 1f) : -1f;
        textures = textures == null ? MaterialTextures.NONE : textures;
    }

    public Material(String name, Rgb baseColor, Rgb emission, float metallic, float roughness, float specular,
                    boolean doubleSided) {
        this(name, baseColor, emission, metallic, roughness, specular, doubleSided, new Rgb(1, 1, 1), DEFAULT_IOR, 1f, -1f,
                MaterialTextures.NONE);
    }

    /** A purely diffuse surface (no specular layer), front-face emission. */
    public Material(String name, Rgb baseColor, Rgb emission) {
        this(name, baseColor, emission, 0f, 1f, 0f, false);
    }

    public boolean isEmissive() {
        return !emission.isBlack();
    }

    public boolean masked() {
        return alphaCutoff >= 0f;
    }

    /** Dielectric reflectance at normal incidence from the index of refraction (Fresnel equations at 0°). */
    public float f0() {
        float r = (ior - 1f) / (ior + 1f);
        return r * r;
    }

    private static float clamp01(float v) {
        return Float.isNaN(v) ? 0f : Math.min(1f, Math.max(0f, v));
    }
}
