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

    public static String tile(String jobId, int frame, int tile, int attempt) {
        return "jobs/" + jobId + "/tiles/" + frame + "/" + tile + "." + attempt + ".tile";
    }

    public static String framePng(String jobId, int frame) {
        return "jobs/" + jobId + "/frames/" + frame + ".png";
    }

    /** The frame in linear light, 32-bit float RGB. */
    public static String frameExr(String jobId, int frame) {
        return "jobs/" + jobId + "/frames/" + frame + ".exr";
    }
}
