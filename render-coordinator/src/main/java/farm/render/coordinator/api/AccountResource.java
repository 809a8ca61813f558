package farm.render.coordinator.api;

import farm.render.coordinator.planning.JobQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Ledger balances by account name, e.g. {@code artist:local}, {@code worker:gpu-7}, {@code fees}. */
@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    private final JobQueries queries;

    public AccountResource(JobQueries queries) {
        this.queries = queries;
    }

    /** {@code balance} in micro-tokens. */
    public record AccountBalance(String account, long balance) {
    }

    @GET
    @Path("/{account}")
    @Operation(summary = "An account's ledger balance in micro-tokens")
    public AccountBalance balance(@PathParam("account") String account) {
        long balance = queries.balance(account)
                .orElseThrow(() -> ProblemException.notFound("unknown-account", "no account " + account));
        return new AccountBalance(account, balance);
    }
}
