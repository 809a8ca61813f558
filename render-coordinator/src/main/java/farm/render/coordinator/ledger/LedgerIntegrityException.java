package farm.render.coordinator.ledger;

/** The ledger does not prove its balances right now, so it takes no new escrow; an operator must look. */
public class LedgerIntegrityException extends RuntimeException {
    public LedgerIntegrityException(String problem) {
        super(problem);
    }
}
