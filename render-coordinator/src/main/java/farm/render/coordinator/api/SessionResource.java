package farm.render.coordinator.api;

import farm.render.coordinator.accounts.AccountService;
import farm.render.coordinator.accounts.Authentication;
import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.Public;
import farm.render.coordinator.accounts.RateLimited;
import farm.render.coordinator.accounts.RateLimits;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;

/** Browser sessions: login sets the {@code farm_session} cookie (HttpOnly, SameSite=Strict), logout ends it. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
public class SessionResource {
    private final AccountService accounts;
    private final Caller caller;
    private final RateLimits limits;

    public SessionResource(AccountService accounts, Caller caller, RateLimits limits) {
        this.accounts = accounts;
        this.caller = caller;
        this.limits = limits;
    }

    @POST
    @Path("/session")
    @Public
    @RateLimited(RateLimits.Action.LOGIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Operation(summary = "Sign in", description = "Checks the name and password and starts a session: the farm_session cookie"
            + " (HttpOnly, SameSite=Strict, Secure over https). A wrong name or password answers 401 without saying which.")
    @APIResponse(responseCode = "200", description = "Signed in; the cookie is set",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountResource.Me.class)))
    @APIResponse(responseCode = "401", description = "The name or the password is wrong",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many attempts; Retry-After says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response login(AccountResource.Credentials body, @Context HttpServerRequest http) {
        if (body == null || body.name() == null || body.password() == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "a JSON body {name, password} is required"));
        }
        limits.spend(RateLimits.Action.LOGIN, body.name(), null);
        AccountService.Session session = accounts.login(body.name(), body.password().toCharArray())
                .orElseThrow(() -> new ProblemException(Problem.of("bad-credentials", "Bad credentials", 401,
                        "the name or the password is wrong")));
        AccountResource.Me me = accounts.bySession(session.id()).map(AccountResource.Me::of).orElseThrow();
        return Response.ok(me).cookie(cookie(session.id(), Duration.between(Instant.now(), session.expiresAt()), secure(http))).build();
    }

    /** Whether the caller is signed in, and as whom; what the page asks first, without a 401 when it is not. */
    public record SessionState(boolean signedIn, AccountResource.Me account) {
    }

    @GET
    @Path("/session")
    @Public
    @SecurityRequirements
    @Operation(summary = "Am I signed in?", description = "Answers signedIn false (not 401) without credentials, so a page can"
            + " choose between its sign-in form and the app; with a session cookie or token, the account.")
    @APIResponse(responseCode = "200", description = "Whether the caller is signed in, and as whom",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionState.class)))
    public SessionState session() {
        return caller.account().map(a -> new SessionState(true, AccountResource.Me.of(a))).orElse(new SessionState(false, null));
    }

    @DELETE
    @Path("/session")
    @Operation(summary = "Sign out", description = "Ends this browser session and clears its cookie.")
    @APIResponse(responseCode = "204", description = "Signed out")
    public Response logout(@Parameter(hidden = true) @CookieParam(Authentication.SESSION_COOKIE) String session,
                           @Context HttpServerRequest http) {
        if (session != null && !session.isBlank()) {
            accounts.logout(session);
        }
        return Response.noContent().cookie(cookie("", Duration.ZERO, secure(http))).build();
    }

    @GET
    @Path("/me")
    @Operation(summary = "The signed-in account", description = "Name, ledger account and operator flag of the caller.")
    @APIResponse(responseCode = "200", description = "The caller's account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountResource.Me.class)))
    public AccountResource.Me me() {
        return AccountResource.Me.of(caller.account().orElseThrow());
    }

    private static boolean secure(HttpServerRequest http) {
        return http != null && (http.isSSL() || "https".equalsIgnoreCase(http.scheme()));
    }

    private static NewCookie cookie(String value, Duration maxAge, boolean secure) {
        return new NewCookie.Builder(Authentication.SESSION_COOKIE).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) Math.max(0, maxAge.toSeconds())).build();
    }
}
