package farm.render.coordinator.accounts;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.ledger.Accounts;
import farm.render.coordinator.ledger.Balances;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sign-up, login sessions and API tokens; the one place credentials are checked. */
@ApplicationScoped
public class AccountService {
    private static final Logger LOG = Logger.getLogger(AccountService.class);

    /** Burned on a login for an unknown name, so a wrong name costs as long as a wrong password. */
    private final String decoyHash;
    private final Transactions tx;
    private final Balances balances;
    private final AccountsConfig config;
    private final long initialGrant;

    public AccountService(Transactions tx, Balances balances, AccountsConfig config, FarmConfig farm) {
        this.tx = tx;
        this.balances = balances;
        this.config = config;
        this.initialGrant = farm.artist().initialGrant();
        this.decoyHash = Passwords.hash("decoy".toCharArray(), config.passwordIterations());
    }

    /** A new session: the cookie's value (shown to this client only) and when it ends. */
    public record Session(String id, Instant expiresAt) {
    }

    /** A new API token: {@code token} is shown once and never stored. */
    public record CreatedToken(long id, String name, String token, Instant createdAt) {
    }

    /** Creates the account and opens its ledger account with the initial grant; empty when the name is taken. */
    public Optional<Account> signUp(String name, char[] password) {
        String hash = Passwords.hash(password, config.passwordIterations());
        return tx.inTransaction(c -> {
            if (!AccountStore.insert(c, name, hash, false)) {
                return Optional.<Account>empty();
            }
            balances.openArtist(c, Accounts.artist(name), initialGrant);
            return AccountStore.withPassword(c, name).map(AccountStore.WithPassword::account);
        });
    }

    /** A session for the name and password, or empty when either is wrong (the caller is not told which). */
    public Optional<Session> login(String name, char[] password) {
        Optional<AccountStore.WithPassword> found = tx.inTransaction(c -> AccountStore.withPassword(c, name));
        String stored = found.map(AccountStore.WithPassword::passwordHash).orElse(null);
        boolean ok = Passwords.matches(password, stored == null ? decoyHash : stored) && stored != null;
        if (!ok) {
            return Optional.empty();
        }
        String id = Secrets.newSessionId();
        Instant expires = Instant.now().plus(config.sessionLifetime());
        tx.inTransaction(c -> {
            AccountStore.insertSession(c, Secrets.digest(id), name, expires);
            return null;
        });
        return Optional.of(new Session(id, expires));
    }

    public void logout(String sessionId) {
        tx.inTransaction(c -> {
            AccountStore.deleteSession(c, Secrets.digest(sessionId));
            return null;
        });
    }

    public Optional<Account> bySession(String sessionId) {
        return tx.inTransaction(c -> AccountStore.bySession(c, Secrets.digest(sessionId)));
    }

    public Optional<Account> byToken(String token) {
        if (!token.startsWith(Secrets.TOKEN_PREFIX)) {
            return Optional.empty();
        }
        return tx.inTransaction(c -> AccountStore.byToken(c, Secrets.digest(token)));
    }

    public CreatedToken createToken(String account, String name) {
        String token = Secrets.newToken();
        ApiToken row = tx.inTransaction(c -> AccountStore.insertToken(c, account, name, Secrets.digest(token)));
        return new CreatedToken(row.id(), row.name(), token, row.createdAt());
    }

    public List<ApiToken> tokens(String account) {
        return tx.inTransaction(c -> AccountStore.tokens(c, account));
    }

    public boolean revokeToken(String account, long id) {
        return tx.inTransaction(c -> AccountStore.revokeToken(c, account, id));
    }

    /**
     * With a bootstrap token configured, the operator account exists and the token is one of its API
     * tokens; idempotent, so every start and every replica may run it.
     */
    void bootstrap(@Observes StartupEvent event) {
        Optional<String> token = config.bootstrapToken().map(String::strip).filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
            return;
        }
        String name = config.bootstrapAccount();
        tx.inTransaction(c -> {
            AccountStore.insert(c, name, null, true);
            AccountStore.makeOperator(c, name);
            balances.openArtist(c, Accounts.artist(name), initialGrant);
            AccountStore.insertToken(c, name, "bootstrap", Secrets.digest(token.get()));
            return null;
        });
        LOG.infof("operator account %s has the bootstrap API token", name);
    }
}
