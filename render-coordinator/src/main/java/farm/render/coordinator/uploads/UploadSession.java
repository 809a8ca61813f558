package farm.render.coordinator.uploads;

import java.util.Optional;

/**
 * One resumable upload as the coordinator recorded it: what the client declared and where the parts go.
 * The file is cut into {@code partCount} parts of {@code partSize} bytes, the last one holding the rest.
 */
public record UploadSession(String id, String account, String filename, String extension, long size,
                            Optional<String> sha256, Optional<String> fingerprint, long partSize, int partCount,
                            String objectKey, String storeUploadId, UploadState state, Optional<String> sceneDigest,
                            Optional<String> reason) {

    /** How many bytes part {@code number} (1-based) must hold. */
    public long expectedPartSize(int number) {
        return number < partCount ? partSize : size - (long) (partCount - 1) * partSize;
    }

    public enum UploadState { OPEN, COMPLETING, COMPLETED, REJECTED }
}
