package farm.render.coordinator.planning;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.ledger.Balances;
import farm.render.coordinator.ledger.JobLedger;
import farm.render.coordinator.ledger.JobLedgers;
import farm.render.coordinator.ledger.TilePayment;
import farm.render.core.planning.FrameRanges;
import farm.render.core.planning.RenderSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Read side of jobs: status and payments. */
@ApplicationScoped
public class JobQueries {
    /** Jobs with more tiles than this report tile counts only, not one state per tile (keeps each status event small). */
    public static final int MAX_TILE_STATES = 4096;

    private final Transactions tx;
    private final JobLedgers ledgers;
    private final Balances balances;

    public JobQueries(Transactions tx, JobLedgers ledgers, Balances balances) {
        this.tx = tx;
        this.ledgers = ledgers;
        this.balances = balances;
    }

    /** Notices a job's status shows at most. */
    static final int MAX_NOTICES = 20;

    public Optional<Job> job(String jobId) {
        return tx.inTransaction(c -> JobStore.find(c, jobId, false));
    }

    public Optional<JobStatus> status(String jobId) {
        return tx.inTransaction(c -> {
            Optional<Job> found = JobStore.find(c, jobId, false);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Job j = found.get();
            JobStore.Control control = JobStore.control(c, jobId).orElseThrow();
            RenderSettings s = j.settings();
            List<JobStatus.FrameStatus> frames = FrameStore.frames(c, jobId, MAX_TILE_STATES);
            int done = (int) frames.stream().filter(JobStatus.FrameStatus::done).count();
            return Optional.of(new JobStatus(j.id(), JobStore.shown(j.state(), control.paused()), j.account(), j.sceneDigest(), j.tier().name().toLowerCase(),
                    j.frameStart(), j.frameEnd(), s.width(), s.height(), s.spp(), s.maxBounces(), s.tileSize(), s.seed(),
                    j.quote(), j.failure(), frames, TileStore.tileCounts(c, jobId), done, ledgers.jobLedger(c, jobId),
                    FrameRanges.format(j.frames()), j.frameCount(), JobStore.createdAt(c, jobId).orElse(null),
                    control.priority(), control.webhookUrl(), s.clampIndirect(),
                    JobStore.activeWorkers(c, jobId), JobStore.notices(c, jobId, MAX_NOTICES), j.deviceMemoryBytes()));
        });
    }

    /** An account's jobs, newest first, {@code limit} at a time; {@code cursor} is the previous page's {@code nextCursor}. */
    public JobPage list(String account, int limit, String cursor) {
        Cursor after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
        return tx.inTransaction(c -> {
            List<JobStore.JobSummaryRow> rows = JobStore.listJobs(c, account, after == null ? null : after.created(),
                    after == null ? null : after.id(), limit + 1);
            List<JobPage.JobSummary> jobs = new ArrayList<>();
            for (JobStore.JobSummaryRow r : rows.subList(0, Math.min(limit, rows.size()))) {
                JobLedger l = ledgers.jobLedger(c, r.id());
                jobs.add(new JobPage.JobSummary(r.id(), r.state(), r.sceneDigest(), r.tier(), FrameRanges.format(r.frames()),
                        r.frames().size(), r.framesDone(), r.width(), r.height(), r.spp(), r.tilesTotal(), r.tilesVerified(),
                        r.tilesTotal() == 0 ? 0 : (double) r.tilesVerified() / r.tilesTotal(), r.quote(), l.paid() + l.fees(),
                        r.createdAt(), "/api/v1/jobs/" + r.id(), r.priority()));
            }
            String next = null;
            if (rows.size() > limit) {
                JobStore.JobSummaryRow last = rows.get(limit - 1);
                next = new Cursor(last.createdAt(), last.id()).encode();
            }
            return new JobPage(jobs, next);
        });
    }

    /** A position in the newest-first order of an account's jobs, opaque to clients. */
    record Cursor(Instant created, String id) {
        String encode() {
            long micros = Math.addExact(Math.multiplyExact(created.getEpochSecond(), 1_000_000L), created.getNano() / 1000);
            return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = plain.indexOf(':');
                long micros = Long.parseLong(plain.substring(0, colon));
                Instant created = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
                return new Cursor(created, plain.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new InvalidCursor();
            }
        }
    }

    /** A cursor this service did not hand out. */
    public static final class InvalidCursor extends IllegalArgumentException {
        InvalidCursor() {
            super("cursor is not one this service returned as nextCursor; start again without it");
        }
    }

    public List<TilePayment> payments(String jobId) {
        return tx.inTransaction(c -> ledgers.payments(c, jobId));
    }

    public boolean frameDone(String jobId, int frame) {
        return tx.inTransaction(c -> FrameStore.frameDone(c, jobId, frame));
    }

    /** Balance of an account, or empty when there is no such account. */
    public Optional<Long> balance(String account) {
        return tx.inTransaction(c -> balances.exists(c, account) ? Optional.of(balances.balance(c, account)) : Optional.empty());
    }
}
