package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.webhooks.WebhookSecrets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/** The account's webhook signing secret: made or replaced on request, shown that once. */
@Path("/api/v1/webhook-secret")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
public class WebhookSecretResource {
    private final WebhookSecrets secrets;
    private final Caller caller;

    public WebhookSecretResource(WebhookSecrets secrets, Caller caller) {
        this.secrets = secrets;
        this.caller = caller;
    }

    /** A new secret, shown this once, and how deliveries are signed with it. */
    public record CreatedSecret(String secret, String signatureHeader, String timestampHeader, String scheme) {
    }

    /** Whether the account has a secret, and since when; never the secret. */
    public record SecretState(boolean exists, Instant createdAt) {
    }

    @POST
    @Operation(summary = "Create or replace the webhook secret", description = "The answer holds the secret (whsec_…) once."
            + " Every webhook delivery carries X-Farm-Timestamp (Unix seconds) and X-Farm-Signature: sha256=HEX, the"
            + " HMAC-SHA256 under this secret of TIMESTAMP + '.' + BODY. A new secret replaces the old one at once.")
    @APIResponse(responseCode = "201", description = "The secret, shown this once", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreatedSecret.class)))
    public Response create() {
        String secret = secrets.rotate(caller.ledgerAccount());
        return Response.status(201).entity(new CreatedSecret(secret, "X-Farm-Signature", "X-Farm-Timestamp",
                "sha256=hex(HMAC-SHA256(secret, timestamp + \".\" + body))")).build();
    }

    @GET
    @Operation(summary = "Whether the account has a webhook secret", description = "Never shows the secret itself.")
    @APIResponse(responseCode = "200", description = "Whether a secret exists and when it was made", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SecretState.class)))
    public SecretState state() {
        return secrets.createdAt(caller.ledgerAccount()).map(t -> new SecretState(true, t)).orElse(new SecretState(false, null));
    }
}
