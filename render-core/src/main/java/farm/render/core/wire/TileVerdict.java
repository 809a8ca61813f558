package farm.render.core.wire;

import java.util.List;

/**
 * The verifier's judgement of one result, on {@code render.verdicts}: whether the sampled pixels
 * matched a trusted re-render, and if not, why. {@code evidence} lists the sampled pixels with the
 * expected and received values (empty when the result failed before any pixel was compared).
 * {@code attributable} says whether a failure is provably the named worker's (its signature over the
 * result verified): only such failures cost stake and reputation; others just requeue the tile, so
 * nobody can get an honest worker slashed by publishing junk in its name. {@code tileSha256} is the digest
 * of the tile bytes the verifier judged: a frame is assembled only from bytes with this digest. {@code awaitsPeer}
 * marks the verifier's pass of a tile that a peer of the worker's numerical class also checks: the verifier's sample is
 * then only half of the check (a failure is final, a pass waits for the peer's report).
 */
public record TileVerdict(String taskId, String jobId, int frame, int tile, int attempt, String workerId,
                          boolean passed, String reason, int pixelsChecked, int pixelsMismatched,
                          List<SampledPixel> evidence, boolean attributable, String tileSha256, boolean awaitsPeer) {

    public TileVerdict {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    /** A verdict that names no tile digest (a failure before any byte was judged). */
    public TileVerdict(String taskId, String jobId, int frame, int tile, int attempt, String workerId, boolean passed,
                       String reason, int pixelsChecked, int pixelsMismatched, List<SampledPixel> evidence, boolean attributable) {
        this(taskId, jobId, frame, tile, attempt, workerId, passed, reason, pixelsChecked, pixelsMismatched, evidence,
                attributable, null, false);
    }

    public TileVerdict(String taskId, String jobId, int frame, int tile, int attempt, String workerId, boolean passed,
                       String reason, int pixelsChecked, int pixelsMismatched, List<SampledPixel> evidence, boolean attributable,
                       String tileSha256) {
        this(taskId, jobId, frame, tile, attempt, workerId, passed, reason, pixelsChecked, pixelsMismatched, evidence,
                attributable, tileSha256, false);
    }

    /** This pass as the verifier's sample of a peer-checked tile: final only once the peer's check passes too. */
    public TileVerdict awaitingPeer() {
        return new TileVerdict(taskId, jobId, frame, tile, attempt, workerId, passed, reason, pixelsChecked, pixelsMismatched,
                evidence, attributable, tileSha256, passed);
    }

    public static TileVerdict pass(TileResult r, List<SampledPixel> evidence) {
        TileTask t = r.task();
        return new TileVerdict(t.taskId(), t.jobId(), t.frame(), t.tile(), t.attempt(), r.workerId(), true, "",
                evidence.size(), mismatched(evidence), evidence, true, r.tileSha256());
    }

    /** A failure of a result whose signature verified: the named worker answers for it. */
    public static TileVerdict fail(TileResult r, String reason, List<SampledPixel> evidence) {
        TileTask t = r.task();
        return new TileVerdict(t.taskId(), t.jobId(), t.frame(), t.tile(), t.attempt(), r.workerId(), false, reason,
                evidence.size(), mismatched(evidence), evidence, true, r.tileSha256());
    }

    /** A result that cannot be pinned on the worker it names (unsigned, mis-signed, forged task, unreadable tile). */
    public static TileVerdict reject(TileResult r, String reason) {
        TileTask t = r.task();
        return new TileVerdict(t.taskId(), t.jobId(), t.frame(), t.tile(), t.attempt(), r.workerId(), false, reason,
                0, 0, List.of(), false, r.tileSha256());
    }

    private static int mismatched(List<SampledPixel> evidence) {
        return (int) evidence.stream().filter(p -> !p.matched()).count();
    }

    public static TileVerdict fail(TileResult r, String reason) {
        return fail(r, reason, List.of());
    }
}
