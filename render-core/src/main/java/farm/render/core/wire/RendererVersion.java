package farm.render.core.wire;

/**
 * The renderer version tasks are stamped with. A worker whose renderer differs releases the task
 * rather than render something the verifier would not reproduce.
 */
public final class RendererVersion {
    public static final String CURRENT = "pt-6";

    private RendererVersion() {
    }
}
