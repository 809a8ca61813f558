package farm.render.coordinator.ledger;

/** A movement would take an account below zero; nothing was posted. */
public class InsufficientFundsException extends RuntimeException {
    private final String account;
    private final long balance;
    private final long required;

    public InsufficientFundsException(String account, long balance, long required) {
        super(account + " holds " + balance + " micro-tokens but " + required + " are needed");
        this.account = account;
        this.balance = balance;
        this.required = required;
    }

    public String account() {
        return account;
    }

    public long balance() {
        return balance;
    }

    public long required() {
        return required;
    }
}
