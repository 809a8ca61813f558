package farm.render.core.scene;

/**
 * A glTF 2.0 metallic-roughness surface (glTF 2.0 specification, appendix B): a Lambertian base and a
 * GGX specular layer mixed by Fresnel, metals tinting the specular by the base colour; with optional
 * emission (radiance in W·sr⁻¹·m⁻², linear RGB).
 *
 * @param metallic    0 dielectric .. 1 metal
 * @param roughness   perceptual roughness; the GGX alpha is its square
 * @param specular    KHR_materials_specular specularFactor: scales the dielectric specular layer (0 = pure diffuse)
 * @param doubleSided emits from both faces when true; reflection always uses the face that was hit
 */
public record Material(String name, Rgb baseColor, Rgb emission, float metallic, float roughness, float specular,
                       boolean doubleSided) {
    public Material {
        name = name == null ? "" : name;
        metallic = clamp01(metallic);
        roughness = clamp01(roughness);
        specular = clamp01(specular);
    }

    /** A purely diffuse surface (no specular layer), front-face emission. */
    public Material(String name, Rgb baseColor, Rgb emission) {
        this(name, baseColor, emission, 0f, 1f, 0f, false);
    }

    public boolean isEmissive() {
        return !emission.isBlack();
    }

    private static float clamp01(float v) {
        return Float.isNaN(v) ? 0f : Math.min(1f, Math.max(0f, v));
    }
}
