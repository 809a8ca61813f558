package farm.render.coordinator.ledger;

/** One line of a ledger entry: {@code amount} micro-tokens into (positive) or out of (negative) an account. */
public record Posting(String account, long amount) {
    public Posting {
        if (amount == 0) {
            throw new IllegalArgumentException("a posting moves a non-zero amount");
        }
    }
}
