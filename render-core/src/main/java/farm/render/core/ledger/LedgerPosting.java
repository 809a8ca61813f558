package farm.render.core.ledger;

/** One line of a ledger entry: {@code amount} micro-tokens into (positive) or out of (negative) {@code account}. */
public record LedgerPosting(String account, long amount) {
}
