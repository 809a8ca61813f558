package farm.render.coordinator.api;

import farm.render.coordinator.identity.CoordinatorKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The coordinator's Ed25519 public keys: {@code publicKey} verifies tasks, {@code ledgerPublicKey} ledger
 * entries and checkpoints ({@code ./farm ledger verify --coordinator URL} pins it from here).
 */
@Path("/api/v1/identity")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityResource {
    private final CoordinatorKeys keys;

    public IdentityResource(CoordinatorKeys keys) {
        this.keys = keys;
    }

    public record Identity(String algorithm, String publicKey, String ledgerPublicKey) {
    }

    @GET
    @Operation(summary = "The coordinator's Ed25519 public keys: tasks are signed with publicKey, the ledger with ledgerPublicKey")
    public Identity identity() {
        return new Identity("Ed25519", keys.publicKey(), keys.ledgerPublicKey());
    }
}
