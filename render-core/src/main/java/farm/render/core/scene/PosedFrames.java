package farm.render.core.scene;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Posed frames of animated scenes by (package digest, frame), the most recently used few kept: a tile
 * worker renders many tiles of one frame, and posing a frame whose triangles move rebuilds its hierarchy.
 * Still scenes are returned as they are and take no room. Safe for concurrent callers.
 */
public final class PosedFrames {
    /**
     * One frame ready to render.
     *
     * @param geometryKey what a renderer may cache the frame's uploaded geometry under: the digest when
     *                    the triangles never move, digest and frame when they do
     */
    public record Frame(Scene scene, String geometryKey) {
    }

    private final Map<String, Frame> frames;

    /** @param capacity how many posed frames of animated scenes to keep */
    public PosedFrames(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.frames = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Frame> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Frame {@code frame} of {@code scene}, whose package has digest {@code digest}. */
    public synchronized Frame frame(String digest, Scene scene, int frame) {
        if (!scene.animation().isAnimated()) {
            return new Frame(scene, digest);
        }
        String key = digest + "@" + frame;
        Frame posed = frames.get(key);
        if (posed == null) {
            posed = pose(digest, scene, frame);
            frames.put(key, posed);
        }
        return posed;
    }

    /** Poses without caching. */
    public static Frame pose(String digest, Scene scene, int frame) {
        return new Frame(scene.posed(frame), scene.geometryKey(digest, frame));
    }

    /** Posed frames held now. */
    public synchronized int size() {
        return frames.size();
    }
}
