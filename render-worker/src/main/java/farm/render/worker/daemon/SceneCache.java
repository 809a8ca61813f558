package farm.render.worker.daemon;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.ScenePackage;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Compiled scenes by digest, fetched once through the task's presigned URL; the few most recent kept. */
public final class SceneCache {
    private final PresignedHttp http;
    private final Map<String, Scene> scenes;

    public SceneCache(PresignedHttp http, int capacity) {
        this.http = http;
        this.scenes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Scene> eldest) {
                return size() > capacity;
            }
        };
    }

    public Scene get(String digest, String url) throws IOException, InvalidSceneException {
        Scene scene = scenes.get(digest);
        if (scene == null) {
            scene = ScenePackage.decode(http.get(url));
            scenes.put(digest, scene);
        }
        return scene;
    }
}
