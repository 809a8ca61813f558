package farm.render.coordinator.frames;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.dispatch.TaskFactory;
import farm.render.coordinator.dispatch.TaskSink;
import farm.render.coordinator.events.JobEvents;
import farm.render.coordinator.frames.FrameAccess.Unavailable;
import farm.render.coordinator.ledger.Accounts;
import farm.render.coordinator.ledger.EntryChain;
import farm.render.coordinator.ledger.EntryKind;
import farm.render.coordinator.planning.FrameStore;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobState;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.planning.Quote;
import farm.render.coordinator.planning.TileStore;
import farm.render.coordinator.planning.TileStore.TileRef;
import farm.render.coordinator.planning.TileStore.TileRow;
import farm.render.core.wire.TileTicket;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The artist rejects an assembled frame: the rejection is recorded (who, when, why, which workers rendered
 * it), the job's escrow is topped up from the artist's account by the frame's price, and every tile of the
 * frame goes back to render as the frame's next generation, on a new attempt that asks the workers of the
 * rejected version to leave it to others. The new generation is verified and paid like the first, once per
 * tile, and assembled again; a completed job runs again until it is.
 */
@ApplicationScoped
public class FrameRejections {
    private static final Logger LOG = Logger.getLogger(FrameRejections.class);
    /** Longest reason kept, in characters. */
    public static final int MAX_REASON = 1000;

    /** A recorded rejection of one generation of a frame, and what re-rendering it costs. */
    public record Rejection(String jobId, int frame, int generation, String reason, Instant rejectedAt, List<String> workers,
                            long topUp) {
    }

    private final FrameAccess access;
    private final Transactions tx;
    private final EntryChain chain;
    private final TaskFactory tasks;
    private final TaskSink sink;
    private final JobEvents events;

    public FrameRejections(FrameAccess access, Transactions tx, EntryChain chain, TaskFactory tasks, TaskSink sink, JobEvents events) {
        this.access = access;
        this.tx = tx;
        this.chain = chain;
        this.tasks = tasks;
        this.sink = sink;
        this.events = events;
    }

    /**
     * Rejects the account's assembled, unapproved frame and sends it back to render.
     *
     * @throws Unavailable                                       unknown job or frame, not assembled, approved, or the job has ended
     * @throws farm.render.coordinator.ledger.InsufficientFundsException the artist cannot pay for the re-render
     */
    public Rejection reject(String account, String id, int frame, String reason) {
        access.assembled(account, id, frame);
        String why = reason == null ? "" : reason.strip();
        Rejection rejection = tx.inTransaction(c -> {
            Job job = JobStore.find(c, id, true).orElseThrow(() -> new Unavailable("no job " + id, Unavailable.Why.UNKNOWN_JOB));
            if (job.state() == JobState.FAILED || job.state() == JobState.CANCELLED) {
                throw new Unavailable("job " + id + " is " + job.state() + "; its frames are not rendered again", Unavailable.Why.JOB_ENDED);
            }
            if (!FrameStore.frameDone(c, id, frame)) {
                throw new Unavailable("frame " + frame + " of job " + id + " is not assembled yet", Unavailable.Why.NOT_READY);
            }
            if (FrameAccess.isApproved(c, id, frame)) {
                throw new Unavailable("frame " + frame + " of job " + id + " was approved; an approved frame is final",
                        Unavailable.Why.APPROVED);
            }
            List<TileRow> tiles = TileStore.frameTiles(c, id, frame);
            TileStore.lockTiles(c, tiles.stream().map(t -> new TileRef(id, frame, t.tile())).toList());
            int generation = lockGeneration(c, id, frame);
            long topUp = 0;
            for (TileRow t : tiles) {
                topUp = Math.addExact(topUp, Quote.tilePrice(job.settings(), job.tier(), t.rect()));
            }
            List<String> workers = List.copyOf(new TreeSet<>(tiles.stream().map(TileRow::workerId).filter(Objects::nonNull).toList()));
            Long entry = null;
            if (topUp > 0) {
                entry = chain.transfer(c, EntryKind.ESCROW, id, "re-render of rejected frame " + frame + " (generation "
                        + (generation + 1) + ")", job.account(), Accounts.escrow(id), topUp);
            }
            Instant at = record(c, id, frame, generation, job.account(), why, workers, topUp, entry);
            nextGeneration(c, id, frame, job.state() == JobState.COMPLETED);
            List<TileTicket> again = new ArrayList<>(tiles.size());
            for (TileRow t : tiles) {
                again.add(tasks.ticket(job, frame, t.tile(), t.rect(), t.attempt() + 1)); // the claim keeps `workers` away
            }
            sink.publish(again); // acknowledged before commit, as retries are: a rollback leaves tasks whose verdicts are stale
            return new Rejection(id, frame, generation, why, at, workers, topUp);
        });
        LOG.infof("job %s frame %d generation %d rejected by %s; rendering it again away from %s", id, frame, rejection.generation(),
                account, rejection.workers());
        events.changed(id, JobEvents.Change.FRAME_REJECTED);
        return rejection;
    }

    /** The rejections of the account's job, oldest first. */
    public List<Rejection> rejections(String account, String id) {
        access.job(account, id);
        return tx.inTransaction(c -> {
            List<Rejection> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT frame, generation, reason, rejected_at, workers, top_up FROM frame_rejections
                    WHERE job_id = ? ORDER BY rejected_at, frame, generation""")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        List<String> workers = new ArrayList<>();
                        for (Object w : (Object[]) r.getArray(5).getArray()) {
                            workers.add((String) w);
                        }
                        out.add(new Rejection(id, r.getInt(1), r.getInt(2), r.getString(3), r.getTimestamp(4).toInstant(),
                                workers, r.getLong(6)));
                    }
                }
            }
            return out;
        });
    }

    /** The workers a frame's current generation should avoid: those that rendered the generation rejected last. */
    public static List<String> avoidedWorkers(Connection c, String id, int frame) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT workers FROM frame_rejections WHERE job_id = ? AND frame = ? ORDER BY generation DESC LIMIT 1")) {
            s.setString(1, id);
            s.setInt(2, frame);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return List.of();
                }
                List<String> workers = new ArrayList<>();
                for (Object w : (Object[]) r.getArray(1).getArray()) {
                    workers.add((String) w);
                }
                return workers;
            }
        }
    }

    private static int lockGeneration(Connection c, String id, int frame) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT generation FROM frames WHERE job_id = ? AND frame = ? FOR UPDATE")) {
            s.setString(1, id);
            s.setInt(2, frame);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static Instant record(Connection c, String id, int frame, int generation, String account, String reason,
                                  List<String> workers, long topUp, Long entry) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO frame_rejections (job_id, frame, generation, account, reason, workers, top_up, entry_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING rejected_at""")) {
            s.setString(1, id);
            s.setInt(2, frame);
            s.setInt(3, generation);
            s.setString(4, account);
            s.setString(5, reason);
            s.setArray(6, c.createArrayOf("text", workers.toArray()));
            s.setLong(7, topUp);
            if (entry == null) {
                s.setNull(8, java.sql.Types.BIGINT);
            } else {
                s.setLong(8, entry);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getTimestamp(1).toInstant();
            }
        }
    }

    /** The frame's next generation: not assembled, no tile verified, each tile on its next attempt; the job runs again. */
    private static void nextGeneration(Connection c, String id, int frame, boolean reopenJob) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE frames SET generation = generation + 1, done = FALSE, done_at = NULL, tiles_verified = 0
                WHERE job_id = ? AND frame = ?""")) {
            s.setString(1, id);
            s.setInt(2, frame);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE tiles SET attempt = attempt + 1, min_attempt = attempt + 1, refusals = 0, state = 'QUEUED',
                                 verified_attempt = NULL, verified_digest = NULL, updated_at = now()
                WHERE job_id = ? AND frame = ?""")) {
            s.setString(1, id);
            s.setInt(2, frame);
            s.executeUpdate();
        }
        if (reopenJob) {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE jobs SET state = 'RUNNING', finished_at = NULL WHERE id = ? AND state = 'COMPLETED'")) {
                s.setString(1, id);
                s.executeUpdate();
            }
        }
    }
}
