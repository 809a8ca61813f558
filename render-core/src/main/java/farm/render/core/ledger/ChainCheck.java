package farm.render.core.ledger;

/** What checking an exported ledger found. */
public sealed interface ChainCheck {
    /** Every entry links to the one before, hashes to its recorded hash, balances and is signed by the key. */
    record Intact(long entries, String head) implements ChainCheck {
    }

    /** The first entry that does not hold, at {@code index} (0-based, in export order). */
    record Broken(long entryId, long index, String reason) implements ChainCheck {
    }
}
