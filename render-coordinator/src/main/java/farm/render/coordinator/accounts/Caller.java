package farm.render.coordinator.accounts;

import farm.render.coordinator.ledger.Accounts;
import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/**
 * Who is calling: the account a request acts for, as {@link Authentication} established it from the
 * session cookie or bearer token. Every resource that reads or changes an account's scenes, jobs,
 * frames or tokens asks this bean.
 */
@RequestScoped
public class Caller {
    private Account account;

    void authenticated(Account account) {
        this.account = account;
    }

    /** The authenticated account, if any (none on public endpoints such as login). */
    public Optional<Account> account() {
        return Optional.ofNullable(account);
    }

    /** The account's name, without the ledger's {@code artist:} prefix. */
    public String name() {
        if (account == null) {
            throw new AuthFailure.NotAuthenticated("sign in or send an API token");
        }
        return account.name();
    }

    /** The caller's ledger account, {@code artist:NAME}. */
    public String ledgerAccount() {
        return Accounts.artist(name());
    }

    public boolean operator() {
        return account != null && account.operator();
    }

    /** Whether {@code ledgerAccount} (e.g. a job's {@code account} column) is the caller's. */
    public boolean owns(String ledgerAccount) {
        return ledgerAccount().equals(ledgerAccount);
    }
}
