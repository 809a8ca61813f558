package farm.render.worker.daemon;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.PosedFrames;
import farm.render.core.scene.Scene;
import farm.render.core.scene.ScenePackage;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled scenes by digest, fetched once through the task's presigned URL, and the posed frames of
 * animated ones by (digest, frame); the few most recent of each kept.
 */
public final class SceneCache {
    /** Posed frames kept per cached scene: a worker usually takes tiles of a few frames at a time. */
    static final int FRAMES_PER_SCENE = 4;

    private final PresignedHttp http;
    private final Map<String, Scene> scenes;
    private final PosedFrames frames;

    public SceneCache(PresignedHttp http, int capacity) {
        this.http = http;
        this.frames = new PosedFrames(capacity * FRAMES_PER_SCENE);
        this.scenes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Scene> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Frame {@code frame} of the scene, posed when the scene is animated. */
    public PosedFrames.Frame frame(String digest, String url, int frame) throws IOException, InvalidSceneException {
        return frames.frame(digest, get(digest, url), frame);
    }

    /** The scene as compiled (its rest pose). */
    public synchronized Scene get(String digest, String url) throws IOException, InvalidSceneException {
        Scene scene = scenes.get(digest);
        if (scene == null) {
            scene = ScenePackage.decode(http.get(url));
            scenes.put(digest, scene);
        }
        return scene;
    }
}
