package farm.render.coordinator.api;

import farm.render.coordinator.accounts.AccountService;
import farm.render.coordinator.accounts.ApiToken;
import farm.render.coordinator.accounts.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/** API tokens for scripts and workers: created (shown once), listed (never shown again) and revoked by their account. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
public class TokenResource {
    static final int MAX_NAME = 100;

    private final AccountService accounts;
    private final Caller caller;

    public TokenResource(AccountService accounts, Caller caller) {
        this.accounts = accounts;
        this.caller = caller;
    }

    /** What the token is for, e.g. "render-box-1 worker". */
    public record NewToken(String name) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API token", description = "The answer holds the token (rf_…) once; only its hash is kept."
            + " Send it as 'Authorization: Bearer TOKEN'.")
    @APIResponse(responseCode = "201", description = "The token, shown this once", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountService.CreatedToken.class)))
    public Response create(NewToken body) {
        String name = body == null || body.name() == null ? "" : body.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new ProblemException(Problem.of("invalid-token-name", "Invalid token name", 400,
                    "name the token (1-" + MAX_NAME + " characters) so you know it when you revoke it").withField("name"));
        }
        AccountService.CreatedToken created = accounts.createToken(caller.name(), name);
        return Response.created(URI.create("/api/v1/tokens/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "List your API tokens", description = "Id, name, when created and when last used; never the token.")
    @APIResponse(responseCode = "200", description = "The account's live tokens", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = ApiToken.class)))
    public List<ApiToken> list() {
        return accounts.tokens(caller.name());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API token", description = "Requests with it are refused from now on.")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Response revoke(@PathParam("id") String id) {
        long tokenId;
        try {
            tokenId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw unknown(id);
        }
        if (!accounts.revokeToken(caller.name(), tokenId)) {
            throw unknown(id);
        }
        return Response.noContent().build();
    }

    private static ProblemException unknown(String id) {
        return ProblemException.notFound("unknown-token", "no token " + id);
    }
}
