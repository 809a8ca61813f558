package farm.render.core.wire;

/**
 * The verifier's judgement of one result, on {@code render.verdicts}: whether the sampled pixels
 * matched a trusted re-render, and if not, why.
 */
public record TileVerdict(String taskId, String jobId, int frame, int tile, int attempt, String workerId,
                          boolean passed, String reason, int pixelsChecked, int pixelsMismatched) {

    public static TileVerdict pass(TileResult r, int checked, int mismatched) {
        TileTask t = r.task();
        return new TileVerdict(t.taskId(), t.jobId(), t.frame(), t.tile(), t.attempt(), r.workerId(), true, "", checked, mismatched);
    }

    public static TileVerdict fail(TileResult r, String reason, int checked, int mismatched) {
        TileTask t = r.task();
        return new TileVerdict(t.taskId(), t.jobId(), t.frame(), t.tile(), t.attempt(), r.workerId(), false, reason, checked, mismatched);
    }
}
