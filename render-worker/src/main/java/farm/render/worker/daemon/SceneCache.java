package farm.render.worker.daemon;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.PosedFrames;
import farm.render.core.scene.Scene;
import farm.render.core.scene.ScenePackage;

import java.io.IOException;

/**
 * Compiled scenes by digest, fetched once through the task's presigned URL, kept least recently used
 * first out within a byte limit counted over their package sizes (a scene larger than the whole limit
 * still renders the tile that fetched it, but is not kept); and the posed frames of animated ones by
 * (digest, frame), a few per scene.
 */
public final class SceneCache {
    /** Posed frames kept per cached scene: a worker usually takes tiles of a few frames at a time. */
    static final int FRAMES_PER_SCENE = 4;

    /** Posed frames kept in all. */
    static final int FRAMES = 4 * FRAMES_PER_SCENE;

    private final PresignedHttp http;
    private final ByteLru<Scene> scenes;
    private final PosedFrames frames = new PosedFrames(FRAMES);

    /** @param limitBytes the most package bytes kept */
    public SceneCache(PresignedHttp http, long limitBytes) {
        this.http = http;
        this.scenes = new ByteLru<>(limitBytes);
    }

    /** Frame {@code frame} of the scene, posed when the scene is animated. */
    public PosedFrames.Frame frame(String digest, String url, int frame) throws IOException, InvalidSceneException {
        return frames.frame(digest, get(digest, url), frame);
    }

    /** The scene as compiled (its rest pose). */
    public synchronized Scene get(String digest, String url) throws IOException, InvalidSceneException {
        Scene cached = scenes.get(digest).orElse(null);
        if (cached != null) {
            return cached;
        }
        byte[] pkg = http.get(url);
        Scene scene = ScenePackage.decode(pkg);
        scenes.put(digest, scene, pkg.length);
        return scene;
    }
}
