package farm.render.coordinator.ledger;

/**
 * What one verified tile paid: {@code amount} to the worker after {@code fee} to the network, for the
 * {@code generation} of its frame (1 for the first render, one more for each time the frame was rejected).
 */
public record TilePayment(String jobId, int frame, int tile, int generation, int attempt, String workerId, long amount, long fee) {
}
