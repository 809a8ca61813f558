package farm.render.coordinator.frames;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.ledger.Accounts;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobQueries;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.planning.FrameRanges;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;

/**
 * An account's assembled frames: approval, watermarked previews and the frames themselves. Another
 * account's job reads as unknown, so its ids reveal nothing.
 */
@ApplicationScoped
public class FrameAccess {
    /** Why a frame cannot be had: the job or frame is unknown to this account, or not assembled yet. */
    public static class Unavailable extends RuntimeException {
        private final boolean notReady;
        private final boolean unknownJob;

        Unavailable(String detail, boolean notReady) {
            this(detail, notReady, false);
        }

        Unavailable(String detail, boolean notReady, boolean unknownJob) {
            super(detail, null, false, false);
            this.notReady = notReady;
            this.unknownJob = unknownJob;
        }

        public boolean unknownJob() {
            return unknownJob;
        }

        public boolean notReady() {
            return notReady;
        }
    }

    /** A frame's approval. */
    public record Approval(String jobId, int frame, Instant approvedAt) {
    }

    private final JobQueries queries;
    private final ObjectStorage storage;
    private final Transactions tx;

    public FrameAccess(JobQueries queries, ObjectStorage storage, Transactions tx) {
        this.queries = queries;
        this.storage = storage;
        this.tx = tx;
    }

    /** The account's job {@code id}. */
    public Job job(String account, String id) {
        return queries.job(id).filter(j -> j.account().equals(Accounts.artist(account)))
                .orElseThrow(() -> new Unavailable("no job " + id, false, true));
    }

    /** The assembled frame as PNG, once the job is the account's and the frame is done. */
    public byte[] png(String account, String id, int frame) {
        Job job = job(account, id);
        if (!job.renders(frame)) {
            throw new Unavailable("job " + id + " renders frames " + FrameRanges.format(job.frames()), false);
        }
        if (!queries.frameDone(id, frame)) {
            throw new Unavailable("frame " + frame + " of job " + id + " is not assembled yet", true);
        }
        return storage.get(ObjectKeys.framePng(id, frame));
    }

    /** The frame with the preview watermark across it. */
    public byte[] preview(String account, String id, int frame) {
        return Watermark.apply(png(account, id, frame), "PREVIEW");
    }

    /** Records the account's approval of an assembled frame; approving again keeps the first time. */
    public Approval approve(String account, String id, int frame) {
        png(account, id, frame); // the frame must be the account's and assembled
        return tx.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO frame_approvals (job_id, frame, account) VALUES (?, ?, ?)"
                    + " ON CONFLICT (job_id, frame) DO NOTHING")) {
                s.setString(1, id);
                s.setInt(2, frame);
                s.setString(3, Accounts.artist(account));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT approved_at FROM frame_approvals WHERE job_id = ? AND frame = ?")) {
                s.setString(1, id);
                s.setInt(2, frame);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new Approval(id, frame, r.getTimestamp(1).toInstant());
                }
            }
        });
    }

    /** The frames of the account's job approved so far, in order. */
    public List<Integer> approved(String account, String id) {
        job(account, id);
        return tx.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT frame FROM frame_approvals WHERE job_id = ? ORDER BY frame")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    List<Integer> frames = new java.util.ArrayList<>();
                    while (r.next()) {
                        frames.add(r.getInt(1));
                    }
                    return frames;
                }
            }
        });
    }

    /** The job's assembled frames, in order, for an archive. */
    public List<Integer> assembled(String account, String id) {
        Job job = job(account, id);
        return job.frames().stream().filter(f -> queries.frameDone(id, f)).toList();
    }

    /** An assembled frame's PNG, for a job whose access was checked already. */
    public byte[] assembledPng(String id, int frame) {
        return storage.get(ObjectKeys.framePng(id, frame));
    }
}
