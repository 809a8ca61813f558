package farm.render.coordinator.intake;

import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.preview.Thumbnail;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.IsolatedImport;
import farm.render.core.scene.ScenePackage;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/** A small rasterized picture of each scene, drawn by its import child and stored next to its package. */
@ApplicationScoped
public class SceneThumbnails {
    public static final int WIDTH = IsolatedImport.THUMBNAIL_SIZE;
    public static final int HEIGHT = IsolatedImport.THUMBNAIL_SIZE;
    /** Packages larger than this are never read into this JVM to draw a missing thumbnail. */
    static final long MAX_PACKAGE_DRAWN_HERE = 16L << 20;
    private static final Logger LOG = Logger.getLogger(SceneThumbnails.class);

    private final ObjectStorage storage;

    public SceneThumbnails(ObjectStorage storage) {
        this.storage = storage;
    }

    /** Stores the thumbnail the import child drew; a scene without one is still accepted. */
    void store(String digest, byte[] png) {
        if (png.length == 0) {
            LOG.warnf("no thumbnail for scene %s", digest);
            return;
        }
        try {
            storage.put(ObjectKeys.sceneThumbnail(digest), png, "image/png");
        } catch (RuntimeException e) {
            LOG.warnf("no thumbnail for scene %s: %s", digest, e.getMessage()); // never a reason to refuse the scene
        }
    }

    /**
     * The stored thumbnail; for a scene stored without one, drawn from its package first when the package is
     * small enough to read here, else none.
     */
    public Optional<byte[]> png(String digest) {
        String key = ObjectKeys.sceneThumbnail(digest);
        if (storage.exists(key)) {
            return Optional.of(storage.get(key));
        }
        String pkg = ObjectKeys.scenePackage(digest);
        if (storage.size(pkg) > MAX_PACKAGE_DRAWN_HERE) {
            return Optional.empty();
        }
        try {
            byte[] png = Thumbnail.png(ScenePackage.decode(storage.get(pkg)), WIDTH, HEIGHT);
            storage.put(key, png, "image/png");
            return Optional.of(png);
        } catch (InvalidSceneException e) {
            throw new IllegalStateException("scene package " + digest + " does not decode: " + e.getMessage(), e);
        }
    }
}
