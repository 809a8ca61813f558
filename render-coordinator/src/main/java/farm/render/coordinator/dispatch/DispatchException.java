package farm.render.coordinator.dispatch;

/** The message bus could not take the tasks; nothing was committed, the caller may retry. */
public class DispatchException extends RuntimeException {
    public DispatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
