package farm.render.coordinator.ledger;

/**
 * A job's money: {@code escrowed = paid + fees + verificationFees + refunded + held}; {@code verificationFees} is what
 * peers earned checking its tiles.
 */
public record JobLedger(long escrowed, long paid, long fees, long refunded, long held, long verificationFees) {
    /** A job no peer checked. */
    public JobLedger(long escrowed, long paid, long fees, long refunded, long held) {
        this(escrowed, paid, fees, refunded, held, 0);
    }
}
