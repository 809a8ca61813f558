package farm.render.verifier;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.wire.SampledPixel;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.verifier.trust.Authenticity;
import farm.render.verifier.trust.WorkerDirectory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Pixels of a peer-checked tile's sample (the first k and, after a near miss, 2k more) that may lie outside the tolerance
     * because the worker's arithmetic differs: a path that takes another turn, a texel lookup that lands on a neighbour
     * (about 1e-4 of the pixels at the demo's settings under the test perturbation of the last bit). The peer then confirms
     * them bit for bit. A forger of 5% of the pixels passes both samples with under 1e-5 (at k = 128).
     */
    public static final int OUTLIERS_ACROSS_CLASSES = 2;

    private final Authenticity authenticity;
    private final SpotCheck check;

    public ResultVerification(WorkerDirectory directory, SpotCheck check) {
        this.authenticity = new Authenticity(directory);
        this.check = check;
    }

    /**
     * The verdict to publish for {@code result}, or none: a result that is not what it claims (its task
     * not the coordinator's, or not signed by the registered key of the worker it names) is dropped.
     * Nobody provably made it, so it neither costs the named worker anything nor requeues the tile: the
     * worker that holds the task still answers for it, and anyone else's junk changes nothing.
     *
     * @throws IOException when the coordinator cannot be asked about keys now: the result is not judged
     * @throws InvalidSceneException when the task's scene package is broken: nobody's fault to pin on a worker
     */
    public Judgement judge(TileResult result, TileSource source) throws IOException, InvalidSceneException {
        Authenticity.Check auth = authenticity.check(result);
        if (auth instanceof Authenticity.Rejected rejected) {
            return new Judgement.Dropped(rejected.reason());
        }
        return new Judgement.Judged(judgeAuthentic(result, (Authenticity.Authentic) auth, source));
    }

    /** What became of a result. */
    public sealed interface Judgement {
        /** A verdict to publish. */
        record Judged(TileVerdict verdict) implements Judgement {
        }

        /** Not the named worker's result: nothing to publish. */
        record Dropped(String reason) implements Judgement {
        }
    }

    /**
     * As {@link #judge}, but a result that is not what it claims gets an unattributable rejection
     * rather than nothing (for measuring detection).
     *
     * @throws IOException when the coordinator cannot be asked about keys now: the result is not judged
     * @throws InvalidSceneException when the task's scene package is broken: nobody's fault to pin on a worker
     */
    public TileVerdict verify(TileResult result, TileSource source) throws IOException, InvalidSceneException {
        Authenticity.Check auth = authenticity.check(result);
        if (auth instanceof Authenticity.Rejected rejected) {
            return TileVerdict.reject(result, rejected.reason());
        }
        return judgeAuthentic(result, (Authenticity.Authentic) auth, source);
    }

    private TileVerdict judgeAuthentic(TileResult result, Authenticity.Authentic authentic, TileSource source)
            throws IOException, InvalidSceneException {
        Scene scene = source.scene(result.task());
        byte[] tile;
        try {
            tile = source.tile(result.task());
        } catch (IOException e) {
            // the store may be at fault as much as the worker: requeue, do not slash
            return TileVerdict.reject(result, "tile not readable: " + e.getMessage());
        }
        int k = authentic.worker().reputation().sampledPixels();
        TileVerdict verdict = check.judge(result, tile, scene, k);
        if (!result.task().peerChecked()) {
            return verdict;
        }
        // the worker's class is unproven: a peer of it also checks the tile bit for bit, and this sample, at tolerance across
        // arithmetic that may differ, bounds what a colluding pair can pass
        if (verdict.passed()) {
            return verdict.awaitingPeer();
        }
        if (verdict.pixelsMismatched() == 0 || verdict.pixelsMismatched() > OUTLIERS_ACROSS_CLASSES) {
            return verdict;
        }
        // a near miss: a path that took another turn, or a forgery; a sample twice as wide tells them apart
        TileVerdict wider = check.judge(result, tile, scene, 2 * k);
        List<SampledPixel> evidence = new ArrayList<>(verdict.evidence());
        evidence.addAll(wider.evidence());
        int mismatched = verdict.pixelsMismatched() + wider.pixelsMismatched();
        if (mismatched > OUTLIERS_ACROSS_CLASSES) {
            return TileVerdict.fail(result, mismatched + " of " + evidence.size() + " sampled pixels differ from the re-render",
                    evidence);
        }
        // the peer confirms the outliers bit for bit: they are in the evidence, not matched
        return TileVerdict.pass(result, evidence).awaitingPeer();
    }
}
