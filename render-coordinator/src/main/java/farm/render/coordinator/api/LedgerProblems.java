package farm.render.coordinator.api;

import farm.render.coordinator.ledger.LedgerIntegrityException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The ledger refuses new escrow while it does not prove its balances: 503 {@code ledger-integrity}. */
public class LedgerProblems {
    @ServerExceptionMapper
    public Response integrity(LedgerIntegrityException e) {
        return ProblemMappers.respond(Problem.of("ledger-integrity", "Ledger integrity check failed", 503,
                "the farm takes no new escrow until an operator has looked: " + e.getMessage()));
    }
}
