package farm.render.worker.render;

/** No renderer can run on this machine (no Vulkan loader, driver or suitable device); the message says what to install. */
public class RendererUnavailableException extends RuntimeException {
    public RendererUnavailableException(String message) {
        super(message);
    }

    public RendererUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
