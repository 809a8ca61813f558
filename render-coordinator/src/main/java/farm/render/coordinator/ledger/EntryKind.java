package farm.render.coordinator.ledger;

/** Why money moved. */
public enum EntryKind {
    MINT, ESCROW, TILE_PAYMENT, REFUND, SLASH, VERIFICATION_FEE
}
