package farm.render.coordinator.frames;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.ledger.Accounts;
import farm.render.coordinator.planning.FrameStore;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobQueries;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.planning.FrameRanges;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An account's assembled frames: approval, watermarked previews and the frames themselves, PNG and EXR,
 * which are served in full only once the artist has approved the frame. Another account's job reads as
 * unknown, so its ids reveal nothing.
 */
@ApplicationScoped
public class FrameAccess {
    /** Why a frame cannot be had, or cannot be approved or rejected now. */
    public static class Unavailable extends RuntimeException {
        /** The reason, one per answer a client can act on. */
        public enum Why {
            /** no such job for this account */
            UNKNOWN_JOB,
            /** the job does not render that frame */
            UNKNOWN_FRAME,
            /** the frame is not assembled (yet, or again after a rejection) */
            NOT_READY,
            /** the full frame waits for the artist's approval */
            NOT_APPROVED,
            /** the frame was approved, so it is final */
            APPROVED,
            /** the job failed or was cancelled */
            JOB_ENDED
        }

        private final Why why;

        public Unavailable(String detail, Why why) {
            super(detail, null, false, false);
            this.why = why;
        }

        public Why why() {
            return why;
        }
    }

    /** A frame's approval. */
    public record Approval(String jobId, int frame, Instant approvedAt) {
    }

    /** A full frame's encodings. */
    public enum Format {
        PNG("png", "image/png"), EXR("exr", "image/x-exr");

        public final String extension;
        public final String mediaType;

        Format(String extension, String mediaType) {
            this.extension = extension;
            this.mediaType = mediaType;
        }

        String key(String jobId, int frame, int generation) {
            return this == PNG ? ObjectKeys.framePng(jobId, frame, generation) : ObjectKeys.frameExr(jobId, frame, generation);
        }
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
                .orElseThrow(() -> new Unavailable("no job " + id, Unavailable.Why.UNKNOWN_JOB));
    }

    /** The account's job, once it renders {@code frame} and the frame is assembled. */
    public Job assembled(String account, String id, int frame) {
        Job job = job(account, id);
        if (!job.renders(frame)) {
            throw new Unavailable("job " + id + " renders frames " + FrameRanges.format(job.frames()), Unavailable.Why.UNKNOWN_FRAME);
        }
        if (!queries.frameDone(id, frame)) {
            throw new Unavailable("frame " + frame + " of job " + id + " is not assembled yet", Unavailable.Why.NOT_READY);
        }
        return job;
    }

    /** The full frame, once it is the account's, assembled and approved. */
    public byte[] frame(String account, String id, int frame, Format format) {
        assembled(account, id, frame);
        if (!isApproved(id, frame)) {
            throw new Unavailable("frame " + frame + " of job " + id + " is not approved yet: approve it (POST /api/v1/jobs/" + id
                    + "/frames/" + frame + "/approve) for the full " + format + "; until then its preview is at /api/v1/jobs/" + id
                    + "/frames/" + frame + "/preview.png", Unavailable.Why.NOT_APPROVED);
        }
        return storage.get(format.key(id, frame, generation(id, frame)));
    }

    /** The generation of the frame's assembled render (the current one: a frame being rendered again is not served). */
    private int generation(String id, int frame) {
        return tx.inTransaction(c -> FrameGenerations.current(c, List.of(new FrameStore.FrameRef(id, frame))))
                .getOrDefault(new FrameStore.FrameRef(id, frame), 1);
    }

    /** The frame with the preview watermark across it: available as soon as it is assembled. */
    public byte[] preview(String account, String id, int frame) {
        assembled(account, id, frame);
        return Watermark.apply(storage.get(ObjectKeys.framePng(id, frame, generation(id, frame))), "PREVIEW");
    }

    /** Records the account's approval of an assembled frame; approving again keeps the first time. */
    public Approval approve(String account, String id, int frame) {
        assembled(account, id, frame);
        return tx.inTransaction(c -> {
            // a rejection of the same frame holds this lock too, so a frame is never both approved and re-rendering
            JobStore.find(c, id, true);
            if (!FrameStore.frameDone(c, id, frame)) {
                throw new Unavailable("frame " + frame + " of job " + id + " is being rendered again", Unavailable.Why.NOT_READY);
            }
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
        return tx.inTransaction(c -> approvedFrames(c, id));
    }

    static List<Integer> approvedFrames(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT frame FROM frame_approvals WHERE job_id = ? ORDER BY frame")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                List<Integer> frames = new ArrayList<>();
                while (r.next()) {
                    frames.add(r.getInt(1));
                }
                return frames;
            }
        }
    }

    static boolean isApproved(Connection c, String id, int frame) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM frame_approvals WHERE job_id = ? AND frame = ?")) {
            s.setString(1, id);
            s.setInt(2, frame);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private boolean isApproved(String id, int frame) {
        return tx.inTransaction(c -> isApproved(c, id, frame));
    }

    /** An approved frame's encoding, for a job whose access was checked already. */
    public byte[] approvedFrame(String id, int frame, Format format) {
        return storage.get(format.key(id, frame, generation(id, frame)));
    }
}
