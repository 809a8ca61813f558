package farm.render.coordinator.intake;

import java.util.List;

/**
 * What the farm knows about an uploaded scene, keyed by the SHA-256 of the source bytes.
 *
 * @param animation the frames the scene's animation spans; {@code frames} is 0 for a still scene
 */
public record SceneRecord(String digest, String filename, int triangles, int materials, List<String> unsupported,
                          String packageDigest, Animation animation) {
    public SceneRecord {
        unsupported = List.copyOf(unsupported);
    }

    /**
     * Farm frames firstFrame..lastFrame show the animation from its first key to its last at frameRate
     * frames per second; frames outside hold the first or last pose.
     */
    public record Animation(int frames, int firstFrame, int lastFrame, float frameRate) {
        static Animation of(farm.render.core.scene.Animation a) {
            return new Animation(a.frameCount(), a.firstFrame(), a.lastFrame(), a.frameRate());
        }
    }
}
