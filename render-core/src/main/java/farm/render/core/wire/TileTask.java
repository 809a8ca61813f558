package farm.render.core.wire;

import farm.render.core.identity.CanonicalBytes;
import farm.render.core.identity.Ed25519;
import farm.render.core.planning.TileRect;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * One frame × tile attempt of a job as the coordinator hands it to the worker that claimed it (never on a
 * topic: there only its {@link TileTicket} goes). It names everything that worker needs and nothing it could
 * use beyond this tile: the scene by digest and a short-lived presigned GET, a presigned PUT to a key that
 * names the worker, and the seeds that make every pixel reproducible.
 *
 * @param coordinatorSignature the coordinator's Ed25519 signature of {@link #signedBytes()}: the
 *                             verifier trusts the task fields a worker's result carries only with it
 * @param clampIndirect        the job's clamp of indirect sample radiance, 0 for none; signed only when set,
 *                             so tasks without a clamp keep their signed bytes
 * @param workerId             the worker that holds the claim on this attempt: the verifier takes a result for
 *                             it from this worker only, and reads the tile from this worker's key
 * @param checkedBy            who checks the result: null for the trusted verifier, {@link #PEER} for a peer of the
 *                             worker's numerical class (the verifier leaves such a result alone); signed only when set
 */
public record TileTask(
        String taskId,
        String jobId,
        int frame,
        int tile,
        int attempt,
        TileRect rect,
        int imageWidth,
        int imageHeight,
        int spp,
        int maxBounces,
        long seed,
        String sceneDigest,
        String rendererVersion,
        String sceneUrl,
        String tileUploadUrl,
        String tileDownloadUrl,
        Tier tier,
        String coordinatorSignature,
        float clampIndirect,
        String workerId,
        String checkedBy) {
    /** A result checked by a peer of the worker's numerical class rather than by the trusted verifier. */
    public static final String PEER = "peer";

    /** A task the trusted verifier checks. */
    public TileTask(String taskId, String jobId, int frame, int tile, int attempt, TileRect rect, int imageWidth,
                    int imageHeight, int spp, int maxBounces, long seed, String sceneDigest, String rendererVersion,
                    String sceneUrl, String tileUploadUrl, String tileDownloadUrl, Tier tier, String coordinatorSignature,
                    float clampIndirect, String workerId) {
        this(taskId, jobId, frame, tile, attempt, rect, imageWidth, imageHeight, spp, maxBounces, seed, sceneDigest,
                rendererVersion, sceneUrl, tileUploadUrl, tileDownloadUrl, tier, coordinatorSignature, clampIndirect, workerId,
                null);
    }

    /** A task without a radiance clamp. */
    public TileTask(String taskId, String jobId, int frame, int tile, int attempt, TileRect rect, int imageWidth,
                    int imageHeight, int spp, int maxBounces, long seed, String sceneDigest, String rendererVersion,
                    String sceneUrl, String tileUploadUrl, String tileDownloadUrl, Tier tier, String coordinatorSignature) {
        this(taskId, jobId, frame, tile, attempt, rect, imageWidth, imageHeight, spp, maxBounces, seed, sceneDigest,
                rendererVersion, sceneUrl, tileUploadUrl, tileDownloadUrl, tier, coordinatorSignature, 0f, null);
    }

    /** The same task with a radiance clamp (before signing). */
    public TileTask withClampIndirect(float clamp) {
        return new TileTask(taskId, jobId, frame, tile, attempt, rect, imageWidth, imageHeight, spp, maxBounces, seed,
                sceneDigest, rendererVersion, sceneUrl, tileUploadUrl, tileDownloadUrl, tier, coordinatorSignature, clamp,
                workerId, checkedBy);
    }

    /** The same task bound to the worker that claimed it (before signing). */
    public TileTask forWorker(String claimant) {
        return new TileTask(taskId, jobId, frame, tile, attempt, rect, imageWidth, imageHeight, spp, maxBounces, seed,
                sceneDigest, rendererVersion, sceneUrl, tileUploadUrl, tileDownloadUrl, tier, coordinatorSignature,
                clampIndirect, claimant, checkedBy);
    }

    /** The same task with its checker named (before signing): {@link #PEER}, or null for the trusted verifier. */
    public TileTask withCheckedBy(String checker) {
        return new TileTask(taskId, jobId, frame, tile, attempt, rect, imageWidth, imageHeight, spp, maxBounces, seed,
                sceneDigest, rendererVersion, sceneUrl, tileUploadUrl, tileDownloadUrl, tier, coordinatorSignature,
                clampIndirect, workerId, checker);
    }

    public boolean peerChecked() {
        return PEER.equals(checkedBy);
    }

    public static String taskId(String jobId, int frame, int tile, int attempt) {
        return jobId + "/" + frame + "/" + tile + "/" + attempt;
    }

    /** Every field but the signature, in declaration order. */
    public byte[] signedBytes() {
        CanonicalBytes b = CanonicalBytes.of("render-farm/task/v1")
                .text(taskId).text(jobId).int32(frame).int32(tile).int32(attempt);
        if (rect == null) {
            b.int32(-1);
        } else {
            b.int32(rect.x()).int32(rect.y()).int32(rect.width()).int32(rect.height());
        }
        b.int32(imageWidth).int32(imageHeight).int32(spp).int32(maxBounces).int64(seed)
                .text(sceneDigest).text(rendererVersion).text(sceneUrl).text(tileUploadUrl).text(tileDownloadUrl)
                .text(tier == null ? null : tier.name());
        if (clampIndirect != 0f) {
            b.int32(Float.floatToIntBits(clampIndirect));
        }
        if (workerId != null) {
            b.text("claimed-by").text(workerId);
        }
        if (checkedBy != null) {
            b.text("checked-by").text(checkedBy);
        }
        return b.bytes();
    }

    public TileTask signedBy(PrivateKey coordinatorKey) {
        return new TileTask(taskId, jobId, frame, tile, attempt, rect, imageWidth, imageHeight, spp, maxBounces, seed,
                sceneDigest, rendererVersion, sceneUrl, tileUploadUrl, tileDownloadUrl, tier,
                Ed25519.sign(coordinatorKey, signedBytes()), clampIndirect, workerId, checkedBy);
    }

    public boolean signatureValid(PublicKey coordinatorKey) {
        return Ed25519.verify(coordinatorKey, signedBytes(), coordinatorSignature);
    }
}
