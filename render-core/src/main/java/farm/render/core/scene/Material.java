package farm.render.core.scene;

/** A diffuse surface with optional emission (radiance in W·sr⁻¹·m⁻², linear RGB). */
public record Material(String name, Rgb baseColor, Rgb emission) {
    public Material {
        name = name == null ? "" : name;
    }

    public boolean isEmissive() {
        return !emission.isBlack();
    }
}
