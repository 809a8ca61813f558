package farm.render.coordinator.claims;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.claims.ClaimStore.ClaimedTile;
import farm.render.coordinator.classes.NumericalClasses;
import farm.render.coordinator.peers.PeerChecks;
import farm.render.coordinator.dispatch.TaskFactory;
import farm.render.coordinator.frames.FrameRejections;
import farm.render.coordinator.planning.FrameStore.FrameRef;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobState;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.planning.TileStore.TileRef;
import farm.render.coordinator.scheduling.TileDispatcher;
import farm.render.coordinator.workers.WorkerRegistry;
import farm.render.core.planning.DeviceMemoryNeed;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.ClaimRequest;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.ProbeAssignment;
import farm.render.core.wire.Reputation;
import farm.render.core.wire.Tier;
import farm.render.core.wire.TileTask;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one server-side gate between a ticket and its task: a tile attempt belongs to the one worker that claimed it
 * first, and only a worker that may render it gets it. A claim is refused when another worker holds the attempt, the
 * worker's reputation does not allow the tier, the job needs more device memory than the claim declares (a claim
 * that declares none has none), the job asks the worker to leave the tile to others, or the operator blocked the
 * worker. A tile refused for device memory goes out again as a new attempt, whose key lands it on another partition,
 * so a worker holding other partitions of the tier gets it rather than the same small device again; those put-backs
 * are not capped (a tile waits for as long as no device large enough is online), and an honest worker pauses after
 * such a refusal, so a small device polls the tile at about the rate an idle worker asks for peer checks. A refused worker acknowledges the ticket, so each refusal that would otherwise lose the tile
 * puts it back for the dispatcher to publish again: on a new attempt when another worker holds this one (the
 * holder's attempt still counts if it finishes first), on the same attempt otherwise. A worker whose numerical class is
 * unproven gets its probe run in place of its first claimable ticket, which goes back the same way; so does a worker
 * that a peer check waits for (see {@link PeerChecks}), and the tasks of an unproven class with a peer about name a peer
 * as their checker.
 */
@ApplicationScoped
public class TileClaims {
    private static final Logger LOG = Logger.getLogger(TileClaims.class);
    /**
     * A worker the job asks to leave a tile to others is refused this many times per tile; then it may take the tile,
     * so the re-render of a rejected frame still happens when no other worker is about.
     */
    static final int AVOIDED_REFUSALS = 2;
    /** Refusals for tier or block that put a tile back at most: a refused worker cannot make a tile spin for ever. */
    static final int MAX_PUT_BACKS = 16;
    /** Tickets one claim may name: a poll's worth. */
    public static final int MAX_TICKETS = 64;

    private final Transactions tx;
    private final WorkerRegistry workers;
    private final TaskFactory tasks;
    private final TileDispatcher dispatcher;
    private final NumericalClasses classes;
    private final PeerChecks peers;

    public TileClaims(Transactions tx, WorkerRegistry workers, TaskFactory tasks, TileDispatcher dispatcher, NumericalClasses classes,
                      PeerChecks peers) {
        this.tx = tx;
        this.peers = peers;
        this.classes = classes;
        this.workers = workers;
        this.tasks = tasks;
        this.dispatcher = dispatcher;
    }

    /** Claims the tickets for the worker, answering each in order. The worker is registered (the caller checked its owner). */
    public ClaimAnswer.Batch claim(String workerId, List<ClaimRequest.Ticket> tickets, Long deviceMemoryBytes) {
        if (tickets.isEmpty()) {
            return new ClaimAnswer.Batch(List.of());
        }
        boolean[] putBack = {false};
        List<ClaimAnswer> answers = tx.inTransaction(c -> {
            // only the gate and the record: the worker's balances and device are not the claim's business
            Optional<ClaimStore.Gate> gate = ClaimStore.gate(c, workerId);
            Optional<String> blocked = gate.flatMap(ClaimStore.Gate::blocked);
            Optional<Reputation> reputation = gate.isPresent() ? Optional.of(workers.reputation(c, workerId)) : Optional.empty();
            Map<TileRef, ClaimedTile> tiles = ClaimStore.tiles(c, tickets);
            Map<String, Optional<Job>> jobs = new HashMap<>();
            Map<FrameRef, List<String>> avoided = new HashMap<>();
            ClaimAnswer[] out = new ClaimAnswer[tickets.size()];
            List<Integer> open = new ArrayList<>(tickets.size());
            for (int i = 0; i < tickets.size(); i++) {
                ClaimRequest.Ticket t = tickets.get(i);
                TileRef ref = new TileRef(t.jobId(), t.frame(), t.tile());
                Optional<Job> job = jobs.computeIfAbsent(t.jobId(), id -> find(c, id));
                ClaimedTile tile = tiles.get(ref);
                if (gate.isEmpty() || job.isEmpty() || job.get().state() != JobState.RUNNING || tile == null
                        || !tile.live(t.attempt())) {
                    out[i] = ClaimAnswer.refused(t.taskId(), ClaimAnswer.STALE, "attempt " + t.attempt()
                            + " of this tile is not rendering (job ended, tile verified, or a newer attempt replaced it)");
                    continue;
                }
                boolean current = t.attempt() == tile.attempt();
                Tier tier = job.get().tier();
                if (blocked.isPresent()) {
                    out[i] = ClaimAnswer.refused(t.taskId(), ClaimAnswer.BLOCKED, "worker " + workerId + " is blocked: " + blocked.get());
                    putBack[0] |= putBackCapped(c, tile, current);
                } else if (!reputation.get().allowedTiers().contains(tier)) {
                    out[i] = ClaimAnswer.refused(t.taskId(), ClaimAnswer.TIER, "worker " + workerId + "'s reputation does not allow the "
                            + tier.name().toLowerCase(Locale.ROOT) + " tier");
                    putBack[0] |= putBackCapped(c, tile, current);
                } else if (deviceMemory(deviceMemoryBytes) < job.get().deviceMemoryBytes()) {
                    out[i] = ClaimAnswer.refused(t.taskId(), ClaimAnswer.DEVICE_MEMORY,
                            deviceMemoryRefusal(workerId, job.get().deviceMemoryBytes(), deviceMemoryBytes));
                    // the holder of this attempt, if any, renders it; otherwise it goes out again where a larger device may be
                    putBack[0] |= current && !ClaimStore.held(c, t) && ClaimStore.sendOnward(c, tile.ref(), tile.attempt());
                } else if (tile.refusals() < AVOIDED_REFUSALS && avoided.computeIfAbsent(new FrameRef(t.jobId(), t.frame()),
                        f -> avoidedWorkers(c, f)).contains(workerId)) {
                    out[i] = ClaimAnswer.refused(t.taskId(), ClaimAnswer.AVOIDED, "the artist rejected this frame as rendered by "
                            + workerId + ": it goes to another worker where one is about");
                    if (current) {
                        putBack[0] |= ClaimStore.putBack(c, ref, tile.attempt(), false);
                    }
                } else {
                    open.add(i);
                }
            }
            // carriers of checks never render a tile again: a peer gets a check in their place, anyone else a refusal
            List<Integer> carried = peers.carriers(c, open.stream().map(tickets::get).toList()).stream().map(open::get).toList();
            if (!carried.isEmpty()) {
                open.removeAll(carried);
                for (int i : carried) {
                    ClaimRequest.Ticket t = tickets.get(i);
                    Optional<PeerCheckAssignment> check = peers.checkFor(c, workerId);
                    if (check.isPresent()) {
                        out[i] = ClaimAnswer.peerCheck(t.taskId(), check.get());
                    } else {
                        out[i] = ClaimAnswer.refused(t.taskId(), ClaimAnswer.HELD, "attempt " + t.attempt() + " delivered its result,"
                                + " which waits for a peer check");
                        // the carrier reached a worker that may not check it: it goes out again for one that may
                        ClaimedTile tile = tiles.get(new TileRef(t.jobId(), t.frame(), t.tile()));
                        putBack[0] |= putBackCapped(c, tile, t.attempt() == tile.attempt());
                    }
                }
            }
            Map<ClaimRequest.Ticket, String> holders = ClaimStore.claimAll(c, open.stream().map(tickets::get).toList(), workerId);
            Map<String, String> sceneUrls = new HashMap<>();
            boolean probesAsked = false;
            Boolean toPeer = null;
            for (int i : open) {
                ClaimRequest.Ticket t = tickets.get(i);
                ClaimedTile tile = tiles.get(new TileRef(t.jobId(), t.frame(), t.tile()));
                Job job = jobs.get(t.jobId()).orElseThrow();
                if (workerId.equals(holders.get(t)) && !probesAsked) {
                    probesAsked = true;
                    Optional<ProbeAssignment> probes = classes.probesFor(c, workerId);
                    Optional<PeerCheckAssignment> check = probes.isPresent() ? Optional.empty() : peers.checkFor(c, workerId);
                    if (probes.isPresent() || check.isPresent()) {
                        // directed work in place of this ticket: the attempt is let go and the tile goes back like a refused one
                        ClaimStore.release(c, t, workerId);
                        if (t.attempt() == tile.attempt()) {
                            putBack[0] |= ClaimStore.putBack(c, tile.ref(), tile.attempt(), false);
                        }
                        out[i] = probes.isPresent() ? ClaimAnswer.probes(t.taskId(), probes.get())
                                : ClaimAnswer.peerCheck(t.taskId(), check.get());
                        continue;
                    }
                }
                if (workerId.equals(holders.get(t))) {
                    String sceneUrl = sceneUrls.computeIfAbsent(t.jobId(), id -> tasks.sceneUrl(job));
                    if (toPeer == null) {
                        toPeer = peers.routesToPeer(c, workerId);
                    }
                    out[i] = ClaimAnswer.granted(tasks.claimed(job, t.frame(), t.tile(), tile.rect(), t.attempt(), workerId, sceneUrl,
                            toPeer ? TileTask.PEER : null));
                } else {
                    out[i] = ClaimAnswer.refused(t.taskId(), ClaimAnswer.HELD, "another worker holds attempt " + t.attempt());
                    if (t.attempt() == tile.attempt()) {
                        // the holder may have crashed (its lock lapsed, so the broker handed the ticket on): one more attempt
                        putBack[0] |= ClaimStore.putBack(c, tile.ref(), tile.attempt(), true);
                    }
                }
            }
            return List.of(out);
        });
        if (putBack[0]) {
            dispatcher.wake();
        }
        if (LOG.isDebugEnabled()) {
            answers.stream().filter(a -> !a.isGranted())
                    .forEach(a -> LOG.debugf("claim of %s by %s refused: %s (%s)", a.taskId(), workerId, a.refusal(), a.detail()));
        }
        return new ClaimAnswer.Batch(answers);
    }

    /** Blocks a worker (its claims are refused from now on) or, with a null reason, lifts the block; false when unknown. */
    public boolean setBlocked(String workerId, String reason) {
        return tx.inTransaction(c -> ClaimStore.setBlocked(c, workerId, reason));
    }

    private static boolean putBackCapped(Connection c, ClaimedTile tile, boolean current) throws SQLException {
        if (!current || tile.refusals() >= MAX_PUT_BACKS) {
            return false;
        }
        return ClaimStore.putBack(c, tile.ref(), tile.attempt(), false);
    }

    /** What a claim declares: none counts as no device memory, so a task never lands on a device of unknown size. */
    private static long deviceMemory(Long declared) {
        return declared == null ? 0 : declared;
    }

    /** The refusal's detail: both figures, and what the worker can do. */
    static String deviceMemoryRefusal(String workerId, long needed, Long declared) {
        String has = declared == null ? "declared no device memory (a claim gives deviceMemoryBytes)"
                : "declared " + DeviceMemoryNeed.mib(declared) + " (" + declared + " bytes)";
        return "the job needs " + DeviceMemoryNeed.mib(needed) + " (" + needed + " bytes) of device memory per task; worker "
                + workerId + " " + has + ": a worker with more device memory takes it (raise --vram-budget if the device has room)";
    }

    private static Optional<Job> find(Connection c, String jobId) {
        try {
            return JobStore.find(c, jobId, false);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> avoidedWorkers(Connection c, FrameRef frame) {
        try {
            return FrameRejections.avoidedWorkers(c, frame.jobId(), frame.frame());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
