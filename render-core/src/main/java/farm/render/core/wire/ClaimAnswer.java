package farm.render.core.wire;

import java.util.List;

/**
 * The coordinator's answer to one claimed ticket: the task, bound to the claiming worker and signed, or a
 * refusal. A refused ticket is acknowledged (ACCEPT) by the worker: the coordinator has already put the tile
 * back to be published again where that was needed, so a refusal never uses up one of the tile's deliveries.
 *
 * @param refusal why the claim was refused: one of the {@code REFUSED_*} codes; null when granted
 * @param probes  with {@link #PROBE}: the probe tiles the worker renders instead of this ticket; null otherwise
 * @param peerCheck with {@link #PEER_CHECK}: the pixels of another worker's tile to re-render instead; null otherwise
 */
public record ClaimAnswer(String taskId, TileTask task, String refusal, String detail, ProbeAssignment probes,
                          PeerCheckAssignment peerCheck) {
    /** Another worker holds this attempt. */
    public static final String HELD = "held-by-another-worker";
    /** The worker's reputation does not allow the ticket's tier. */
    public static final String TIER = "tier-not-allowed";
    /** The job asks this worker to leave the tile to others (it rendered a version of the frame the artist rejected). */
    public static final String AVOIDED = "worker-avoided";
    /** The worker is blocked by the operator. */
    public static final String BLOCKED = "worker-blocked";
    /** The attempt is not the tile's current one, or the tile or job is no longer rendering. */
    public static final String STALE = "stale-ticket";
    /** The job needs more device memory than the claim declared (or the claim declared none). */
    public static final String DEVICE_MEMORY = "device-memory-too-small";

    /** The worker's numerical class is unproven: it renders the probe tiles in place of this ticket. */
    public static final String PROBE = "probe-tiles-first";
    /** A result of this worker's numerical class waits for a peer: the worker checks it in place of this ticket. */
    public static final String PEER_CHECK = "peer-check-first";

    public ClaimAnswer(String taskId, TileTask task, String refusal, String detail) {
        this(taskId, task, refusal, detail, null, null);
    }

    public static ClaimAnswer granted(TileTask task) {
        return new ClaimAnswer(task.taskId(), task, null, null);
    }

    public static ClaimAnswer refused(String taskId, String refusal, String detail) {
        return new ClaimAnswer(taskId, null, refusal, detail);
    }

    /** Directed work in place of the ticket, which goes back to be published again like a refused one. */
    public static ClaimAnswer probes(String taskId, ProbeAssignment probes) {
        return new ClaimAnswer(taskId, null, PROBE, "this worker's numerical class is unproven: it renders "
                + probes.count() + " probe tiles first", probes, null);
    }

    /** A peer check in place of the ticket, which goes back to be published again like a refused one. */
    public static ClaimAnswer peerCheck(String taskId, PeerCheckAssignment check) {
        return new ClaimAnswer(taskId, null, PEER_CHECK, "a result of this worker's numerical class waits for a peer: it re-renders "
                + check.pixelCount() + " pixels first", null, check);
    }

    public boolean isGranted() {
        return task != null;
    }

    /** All answers of one claim, in the order of its tickets. */
    public record Batch(List<ClaimAnswer> answers) {
        public Batch {
            answers = answers == null ? List.of() : List.copyOf(answers);
        }
    }
}
