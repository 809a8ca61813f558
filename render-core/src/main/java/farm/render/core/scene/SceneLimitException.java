package farm.render.core.scene;

/** The scene may be valid, but it is larger than this farm takes; {@link #limit()} names the limit it passed. */
public final class SceneLimitException extends InvalidSceneException {
    /** The limits an import can pass. */
    public enum Limit { TRIANGLES, PACKAGE_BYTES, IMPORT_MEMORY, IMPORT_TIME }

    private final Limit limit;

    public SceneLimitException(Limit limit, String reason) {
        super(reason);
        this.limit = limit;
    }

    public Limit limit() {
        return limit;
    }
}
