package farm.render.core.scene;

/** The input is not a scene this farm can render; the message says why, in words for the uploader. */
public class InvalidSceneException extends Exception {
    public InvalidSceneException(String reason) {
        super(reason);
    }
}
