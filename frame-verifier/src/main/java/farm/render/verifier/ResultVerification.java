package farm.render.verifier;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.verifier.trust.Authenticity;
import farm.render.verifier.trust.WorkerDirectory;

import java.io.IOException;

/**
 * One result from message to verdict: authenticity first (nothing is downloaded for a result that is
 * not what it claims), then the pixel spot check with k set by the worker's reputation.
 */
public final class ResultVerification {
    /** Where a result's scene and uploaded tile come from. */
    public interface TileSource {
        Scene scene(TileTask task) throws IOException, InvalidSceneException;

        byte[] tile(TileTask task) throws IOException;
    }

    private final Authenticity authenticity;
    private final SpotCheck check;

    public ResultVerification(WorkerDirectory directory, SpotCheck check) {
        this.authenticity = new Authenticity(directory);
        this.check = check;
    }

    /**
     * @throws IOException when the coordinator cannot be asked about keys now: the result is not judged
     * @throws InvalidSceneException when the task's scene package is broken: nobody's fault to pin on a worker
     */
    public TileVerdict verify(TileResult result, TileSource source) throws IOException, InvalidSceneException {
        Authenticity.Check auth = authenticity.check(result);
        if (auth instanceof Authenticity.Rejected rejected) {
            return TileVerdict.reject(result, rejected.reason());
        }
        Authenticity.Authentic authentic = (Authenticity.Authentic) auth;
        Scene scene = source.scene(result.task());
        byte[] tile;
        try {
            tile = source.tile(result.task());
        } catch (IOException e) {
            // the store may be at fault as much as the worker: requeue, do not slash
            return TileVerdict.reject(result, "tile not readable: " + e.getMessage());
        }
        return check.judge(result, tile, scene, authentic.worker().reputation().sampledPixels());
    }
}
