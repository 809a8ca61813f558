package farm.render.core.wire;

import farm.render.core.identity.CanonicalBytes;
import farm.render.core.identity.Ed25519;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A worker's claim that it rendered a task and uploaded the tile, on {@code render.results}.
 *
 * @param signature the worker's Ed25519 signature over (task id, attempt, tile digest, worker id):
 *                  a result replayed for another task, or signed by another key, does not verify
 */
public record TileResult(TileTask task, String workerId, long renderMillis, String tileSha256, String signature) {

    public static byte[] signedBytes(TileTask task, String workerId, String tileSha256) {
        return CanonicalBytes.of("render-farm/result/v1")
                .text(task == null ? null : task.taskId()).int32(task == null ? -1 : task.attempt())
                .text(tileSha256).text(workerId).bytes();
    }

    /** A result for {@code task}, signed with the worker's key. */
    public static TileResult signed(TileTask task, String workerId, long renderMillis, String tileSha256, PrivateKey workerKey) {
        return new TileResult(task, workerId, renderMillis, tileSha256,
                Ed25519.sign(workerKey, signedBytes(task, workerId, tileSha256)));
    }

    public boolean signatureValid(PublicKey workerKey) {
        return Ed25519.verify(workerKey, signedBytes(task, workerId, tileSha256), signature);
    }
}
