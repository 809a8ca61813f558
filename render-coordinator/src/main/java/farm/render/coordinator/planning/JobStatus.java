package farm.render.coordinator.planning;

import farm.render.coordinator.ledger.Ledger;

import java.util.List;

/** A job as the API shows it; amounts are micro-tokens. */
public record JobStatus(String id, JobState state, String account, String sceneDigest, String tier,
                        int frameStart, int frameEnd, int width, int height, int spp, int maxBounces,
                        int tileSize, long seed, long quote, String failure,
                        List<FrameStatus> frames, TileCounts tiles, int framesDone, Ledger.JobLedger ledger) {

    /** {@code url} is the assembled PNG's API path once the frame is done, else null. */
    public record FrameStatus(int frame, boolean done, String url) {
    }

    /** {@code retries} counts failed attempts that were sent out again. */
    public record TileCounts(int total, int queued, int verified, int failed, int retries) {
    }
}
