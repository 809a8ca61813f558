package farm.render.coordinator.ledger;

/** A job's money: {@code escrowed = paid + fees + refunded + held}. */
public record JobLedger(long escrowed, long paid, long fees, long refunded, long held) {
}
