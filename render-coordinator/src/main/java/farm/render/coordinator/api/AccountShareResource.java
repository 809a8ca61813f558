package farm.render.coordinator.api;

import farm.render.coordinator.accounts.OperatorOnly;
import farm.render.coordinator.scheduling.AccountShares;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code PUT /api/v1/accounts/{account}/share}: operators set an account's fair-share weight within each tier. */
@Path("/api/v1/accounts/{account}/share")
@Produces(MediaType.APPLICATION_JSON)
public class AccountShareResource {
    private final AccountShares shares;

    public AccountShareResource(AccountShares shares) {
        this.shares = shares;
    }

    /** The weight asked for (1-1000), or the account's weight as it now stands. */
    public record Share(String account, Integer weight) {
    }

    @PUT
    @OperatorOnly
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set an account's fair share (operators only)", description = "Within a tier, free workers are shared"
            + " between the accounts with jobs waiting in proportion to their weights (1-1000, default 1); priority orders"
            + " jobs only inside an account. The account is the ledger account artist:NAME that owns the jobs.")
    public Share set(@PathParam("account") String account, Share body) {
        if (body == null || body.weight() == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "a JSON body {\"weight\": N} is required").withField("weight"));
        }
        AccountShares.problem(body.weight()).ifPresent(p -> {
            throw new ProblemException(Problem.of("invalid-weight", "Invalid weight", 400, p).withField("weight"));
        });
        if (!shares.set(account, body.weight())) {
            throw ProblemException.notFound("unknown-account", "no account " + account);
        }
        return new Share(account, body.weight());
    }
}
