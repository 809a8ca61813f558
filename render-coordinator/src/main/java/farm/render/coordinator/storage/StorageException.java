package farm.render.coordinator.storage;

/** The object store refused or could not be reached; the coordinator answers 503. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
