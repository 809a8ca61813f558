package farm.render.coordinator.ledger;

/** What one verified tile paid: {@code amount} to the worker after {@code fee} to the network. */
public record TilePayment(String jobId, int frame, int tile, int attempt, String workerId, long amount, long fee) {
}
