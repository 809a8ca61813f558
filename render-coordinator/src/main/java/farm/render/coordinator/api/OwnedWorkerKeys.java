package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.Ownership;
import farm.render.coordinator.workers.WorkerRegistry;
import farm.render.core.identity.Ed25519;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.PublicKey;

/**
 * For reports a worker hands in signed (probe digests, peer-check pixels): the worker must be the caller's own, else it is
 * unknown (404, as a missing one), the body must be there, and the report is checked against the worker's registered key.
 */
@ApplicationScoped
public class OwnedWorkerKeys {
    private final WorkerRegistry registry;
    private final Caller caller;
    private final Ownership ownership;

    public OwnedWorkerKeys(WorkerRegistry registry, Caller caller, Ownership ownership) {
        this.registry = registry;
        this.caller = caller;
        this.ownership = ownership;
    }

    /** Refuses (404, as a missing worker) unless {@code id} is the caller's worker. */
    public void requireOwn(String id) {
        if (ownership.workerOwner(id).filter(caller.name()::equals).isEmpty()) {
            throw ProblemException.notFound("unknown-worker", "no worker " + id);
        }
    }

    /** The registered key of the caller's worker {@code id}; {@code shape} names the body's fields for a 400 without one. */
    public PublicKey keyFor(String id, Object body, String shape) {
        requireOwn(id);
        if (body == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "a JSON body " + shape + " is required"));
        }
        String key = registry.find(id).orElseThrow(() -> ProblemException.notFound("unknown-worker", "no worker " + id)).publicKey();
        return Ed25519.decodePublic(key);
    }
}
