package farm.render.verifier.trust;

import java.io.IOException;
import java.security.PublicKey;
import java.util.Optional;

/** What the verifier needs to trust a result: the coordinator's task-signing key and each worker's key and record. */
public interface WorkerDirectory {
    /** @throws IOException when the coordinator cannot be asked now (the result waits; it is not judged) */
    PublicKey coordinatorKey() throws IOException;

    /** Empty when no worker registered under this id. */
    Optional<RegisteredWorker> worker(String workerId) throws IOException;
}
