package farm.render.coordinator.uploads;

/** An upload the coordinator will not start, resume or complete, with the reason a client can act on. */
public class UploadRefused extends RuntimeException {
    public enum Reason {
        /** No such upload for this account. */
        UNKNOWN,
        /** A declared field is missing or malformed. */
        INVALID_REQUEST,
        UNSUPPORTED_FORMAT,
        TOO_LARGE,
        /** The fingerprint names an open upload of a different file. */
        FINGERPRINT_CONFLICT,
        /** Some parts are not stored yet; the upload stays open. */
        PARTS_MISSING,
        /** A stored part is not the size the declaration gives it; re-send it. */
        PART_SIZE_MISMATCH,
        /** The stored bytes do not hash to the declared SHA-256; the upload is closed. */
        DIGEST_MISMATCH,
        /** The stored bytes are not a valid scene; the upload is closed. */
        INVALID_SCENE,
        /** The scene passes a limit of the farm's (triangles, package bytes, memory to import); the upload is closed. */
        SCENE_OVER_LIMIT,
        /** Another request is completing this upload now. */
        COMPLETING,
        /** The upload was closed before: its reason says why. */
        REJECTED
    }

    private final Reason reason;
    private final String field;

    public UploadRefused(Reason reason, String field, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
