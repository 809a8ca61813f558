package farm.render.coordinator.api;

import farm.render.coordinator.identity.CoordinatorKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The coordinator's Ed25519 public key: what task and ledger signatures verify with. */
@Path("/api/v1/identity")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityResource {
    private final CoordinatorKeys keys;

    public IdentityResource(CoordinatorKeys keys) {
        this.keys = keys;
    }

    public record Identity(String algorithm, String publicKey) {
    }

    @GET
    @Operation(summary = "The coordinator's Ed25519 public key, to check exported ledgers")
    public Identity identity() {
        return new Identity("Ed25519", keys.publicKey());
    }
}
