package farm.render.coordinator.intake;

import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.preview.Thumbnail;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.ScenePackage;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;


/** A small rasterized picture of each scene, stored next to its package. */
@ApplicationScoped
public class SceneThumbnails {
    public static final int WIDTH = 256;
    public static final int HEIGHT = 256;
    private static final Logger LOG = Logger.getLogger(SceneThumbnails.class);

    private final ObjectStorage storage;

    public SceneThumbnails(ObjectStorage storage) {
        this.storage = storage;
    }

    /** Draws and stores the thumbnail; a failure is logged, never a reason to refuse the scene. */
    void store(String digest, Scene scene) {
        try {
            storage.put(ObjectKeys.sceneThumbnail(digest), Thumbnail.png(scene, WIDTH, HEIGHT), "image/png");
        } catch (RuntimeException e) {
            LOG.warnf("no thumbnail for scene %s: %s", digest, e.getMessage());
        }
    }

    /** The stored thumbnail, drawn from the package first for scenes uploaded before thumbnails existed. */
    public byte[] png(String digest) {
        String key = ObjectKeys.sceneThumbnail(digest);
        if (!storage.exists(key)) {
            try {
                Scene scene = ScenePackage.decode(storage.get(ObjectKeys.scenePackage(digest)));
                byte[] png = Thumbnail.png(scene, WIDTH, HEIGHT);
                storage.put(key, png, "image/png");
                return png;
            } catch (InvalidSceneException e) {
                throw new IllegalStateException("scene package " + digest + " does not decode: " + e.getMessage(), e);
            }
        }
        return storage.get(key);
    }
}
