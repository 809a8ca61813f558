package farm.render.core.wire;

/**
 * The renderer version tasks are stamped with. A worker whose renderer differs releases the task
 * rather than render something the verifier would not reproduce. pt-7: reproducible arithmetic (no
 * contraction, division, roots and transcendentals from add, multiply and integer operations, denormals
 * flushed, hit ties to the lower triangle), so pixels differ in their last bits from pt-6's. pt-8: fewer steps
 * per bounce (one function for a BSDF's value and pdf, no renormalising of sampled directions that are unit
 * already, light normals computed once when the scene is packed, one division for a light sample's MIS
 * weight), so pixels differ in their last bits from pt-7's.
 */
public final class RendererVersion {
    public static final String CURRENT = "pt-8";

    private RendererVersion() {
    }
}
