package farm.render.coordinator.storage;

/** The bucket layout from the architecture, in one place. */
public final class ObjectKeys {
    private ObjectKeys() {
    }

    public static String sceneSource(String digest, String extension) {
        return "scenes/" + digest + "/source." + extension;
    }

    public static String scenePackage(String digest) {
        return "scenes/" + digest + "/scene.pkg";
    }

    public static String sceneThumbnail(String digest) {
        return "scenes/" + digest + "/thumbnail.png";
    }

    /** A tile attempt as the worker that claimed it uploads it: nobody else is ever handed a URL for this key. */
    public static String tile(String jobId, int frame, int tile, int attempt, String workerId) {
        return "jobs/" + jobId + "/tiles/" + frame + "/" + tile + "/" + attempt + "/" + workerId + ".tile";
    }

    /** A frame's render in its generation (one more per rejection), 8-bit sRGB; written once, never overwritten. */
    public static String framePng(String jobId, int frame, int generation) {
        return "jobs/" + jobId + "/frames/" + frame + "/" + generation + ".png";
    }

    /** The frame in linear light, 32-bit float RGB; written once per generation. */
    public static String frameExr(String jobId, int frame, int generation) {
        return "jobs/" + jobId + "/frames/" + frame + "/" + generation + ".exr";
    }
}
