package farm.render.coordinator.planning;

import farm.render.coordinator.ledger.JobLedger;

import java.time.Instant;
import java.util.List;

/**
 * A job as the API shows it; amounts are micro-tokens. {@code state} PAUSED is a running job its artist
 * paused; {@code priority} (0-100) orders dispatch among its account's queued jobs of its tier; {@code webhookUrl} is null
 * when the job has none. {@code activeWorkers} counts the workers whose results for this job were verified in
 * the last {@link JobStore#ACTIVE_WORKER_SECONDS} seconds. {@code frameList} is the frames it renders in
 * the compact form ("1-100x5" reads back as "1,6,11,…"; runs as "9-12"), {@code frameCount} how many.
 * {@code notices} are the newest things that happened to the job that its artist should know, newest first.
 * {@code deviceMemoryBytes} is the device memory one of its tasks needs: only workers that declare as much take them.
 */
public record JobStatus(String id, JobState state, String account, String sceneDigest, String tier,
                        int frameStart, int frameEnd, int width, int height, int spp, int maxBounces,
                        int tileSize, long seed, long quote, String failure,
                        List<FrameStatus> frames, TileCounts tiles, int framesDone, JobLedger ledger,
                        String frameList, int frameCount, Instant createdAt, int priority, String webhookUrl,
                        float clampIndirect, int activeWorkers, List<Notice> notices, long deviceMemoryBytes) {

    /** Something that happened to the job, e.g. a tile sent back to render because its stored bytes were not the verified ones. */
    public record Notice(Instant at, String detail) {
    }

    /**
     * {@code url} is the assembled PNG's API path once the frame is done, else null. {@code tiles} holds one
     * letter per tile in plan order (row by row from the top left): {@code q} queued, {@code r} queued again
     * after a failed attempt, {@code v} verified, {@code f} failed for good; null for jobs too large to list them.
     */
    public record FrameStatus(int frame, boolean done, String url, String tiles) {
    }

    /**
     * {@code retries} counts failed attempts that were sent out again; {@code dispatched} counts tiles sent to
     * workers so far (the dispatch window sends a job's tiles a bounded number at a time).
     */
    public record TileCounts(int total, int queued, int verified, int failed, int retries, int dispatched) {
    }
}
