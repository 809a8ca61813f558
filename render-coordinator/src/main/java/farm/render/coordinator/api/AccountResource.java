package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Account;
import farm.render.coordinator.accounts.AccountService;
import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.Ownership;
import farm.render.coordinator.accounts.Public;
import farm.render.coordinator.accounts.RateLimited;
import farm.render.coordinator.accounts.RateLimits;
import farm.render.coordinator.planning.JobQueries;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.regex.Pattern;

/** Sign-up, and ledger balances by account name ({@code artist:NAME}, {@code worker:ID}, {@code escrow:JOB}, …). */
@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts", description = "Sign up, sign in, API tokens and balances")
public class AccountResource {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,63}");
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 1024;

    private final JobQueries queries;
    private final AccountService accounts;
    private final Caller caller;
    private final Ownership ownership;
    private final RateLimits limits;

    public AccountResource(JobQueries queries, AccountService accounts, Caller caller, Ownership ownership, RateLimits limits) {
        this.queries = queries;
        this.accounts = accounts;
        this.caller = caller;
        this.ownership = ownership;
        this.limits = limits;
    }

    /** {@code balance} in micro-tokens. */
    public record AccountBalance(String account, long balance) {
    }

    /** A user's name and password, for sign-up and login. */
    public record Credentials(String name, String password) {
    }

    /** Who an account is: its name, its ledger account and whether it may use operators' endpoints. */
    public record Me(String name, String ledgerAccount, boolean operator, Instant createdAt) {
        static Me of(Account a) {
            return new Me(a.name(), "artist:" + a.name(), a.operator(), a.createdAt());
        }
    }

    @POST
    @Public
    @RateLimited(RateLimits.Action.SIGN_UP)
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Operation(summary = "Sign up", description = "Creates an account with a name and a password (8 characters or more) and opens"
            + " its ledger account artist:NAME with the initial grant. Sign in afterwards with POST /api/v1/session.")
    @APIResponse(responseCode = "201", description = "The account was created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Me.class)))
    @APIResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many sign-ups from this address; Retry-After says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response signUp(Credentials body) {
        Credentials c = valid(body);
        limits.spend(RateLimits.Action.SIGN_UP, c.name(), null);
        Account created = accounts.signUp(c.name(), c.password().toCharArray()).orElseThrow(() -> new ProblemException(
                Problem.of("name-taken", "Name taken", 409, "an account named " + c.name() + " exists; pick another name")
                        .withField("name")));
        return Response.created(URI.create("/api/v1/me")).entity(Me.of(created)).build();
    }

    static Credentials valid(Credentials body) {
        if (body == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "a JSON body {name, password} is required"));
        }
        if (body.name() == null || !NAME.matcher(body.name()).matches()) {
            throw new ProblemException(Problem.of("invalid-account-name", "Invalid account name", 400,
                    "name must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit").withField("name"));
        }
        if (body.password() == null || body.password().length() < MIN_PASSWORD || body.password().length() > MAX_PASSWORD) {
            throw new ProblemException(Problem.of("invalid-password", "Invalid password", 400,
                    "password must be " + MIN_PASSWORD + "-" + MAX_PASSWORD + " characters").withField("password"));
        }
        return body;
    }

    @GET
    @Path("/{account}")
    @Operation(summary = "A ledger account's balance in micro-tokens", description = "Your own artist:NAME, the worker:ID and"
            + " stake:ID accounts of workers you registered, and the escrow:JOB accounts of your jobs; operators may read any.")
    public AccountBalance balance(@PathParam("account") String account) {
        if (!mayRead(account)) {
            throw unknown(account);
        }
        long balance = queries.balance(account).orElseThrow(() -> unknown(account));
        return new AccountBalance(account, balance);
    }

    private boolean mayRead(String account) {
        if (caller.operator() || caller.owns(account)) {
            return true;
        }
        int colon = account.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String kind = account.substring(0, colon);
        String id = account.substring(colon + 1);
        return switch (kind) {
            case "worker", "stake" -> ownership.workerOwner(id).filter(caller.name()::equals).isPresent();
            case "escrow" -> queries.job(id).filter(j -> caller.owns(j.account())).isPresent();
            default -> false;
        };
    }

    private static ProblemException unknown(String account) {
        return ProblemException.notFound("unknown-account", "no account " + account);
    }
}
