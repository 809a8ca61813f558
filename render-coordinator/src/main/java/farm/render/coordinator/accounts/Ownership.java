package farm.render.coordinator.accounts;

import farm.render.coordinator.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Who owns what beyond jobs (whose rows name their account): scenes, claimed per uploading account
 * although stored once by digest, and worker ids, bound to the account that registered them first.
 */
@ApplicationScoped
public class Ownership {
    private final Transactions tx;

    public Ownership(Transactions tx) {
        this.tx = tx;
    }

    public void claimScene(String account, String digest) {
        tx.inTransaction(c -> {
            AccountStore.claimScene(c, account, digest);
            return null;
        });
    }

    public boolean ownsScene(String account, String digest) {
        return tx.inTransaction(c -> AccountStore.ownsScene(c, account, digest));
    }

    /** Binds the worker id to {@code account} unless another account holds it; true when {@code account} owns it now. */
    public boolean claimWorker(String workerId, String account) {
        return account.equals(tx.inTransaction(c -> AccountStore.claimWorker(c, workerId, account)));
    }

    public Optional<String> workerOwner(String workerId) {
        return tx.inTransaction(c -> AccountStore.workerOwner(c, workerId));
    }
}
