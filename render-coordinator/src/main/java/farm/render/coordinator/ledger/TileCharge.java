package farm.render.coordinator.ledger;

/**
 * A verified tile attempt to be paid {@code price} from its job's escrow; {@code generation} counts
 * the renders of its frame (a rejected frame is rendered again as the next generation).
 */
public record TileCharge(String jobId, int frame, int tile, int generation, int attempt, String workerId, long price) {
    /** A tile of a frame's first generation. */
    public TileCharge(String jobId, int frame, int tile, int attempt, String workerId, long price) {
        this(jobId, frame, tile, 1, attempt, workerId, price);
    }
}
