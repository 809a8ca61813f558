package farm.render.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.accounts.AuthFailure;
import farm.render.coordinator.dispatch.DispatchException;
import farm.render.coordinator.ledger.InsufficientFundsException;
import farm.render.coordinator.planning.IdempotencyConflict;
import farm.render.coordinator.planning.JobRejected;
import farm.render.coordinator.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Locale;

/** Every error leaves as application/problem+json; no stack trace ever reaches a client. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static Response respond(Problem p) {
        try {
            return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(JSON.writeValueAsString(p)).build();
        } catch (JsonProcessingException e) {
            return Response.status(p.status()).build();
        }
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response notAuthenticated(AuthFailure.NotAuthenticated e) {
        return Response.fromResponse(respond(Problem.of("unauthenticated", "Authentication required", 401, e.getMessage())))
                .header("WWW-Authenticate", "Bearer realm=\"render-farm\"").build();
    }

    @ServerExceptionMapper
    public Response notOperator(AuthFailure.NotOperator e) {
        return respond(Problem.of("operator-only", "Operators only", 403, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response tooMany(AuthFailure.TooManyRequests e) {
        return Response.fromResponse(respond(Problem.of("rate-limited", "Too many requests", 429, e.getMessage())))
                .header("Retry-After", Long.toString(e.retryAfter().toSeconds())).build();
    }

    @ServerExceptionMapper
    public Response rejected(JobRejected e) {
        if (e.why() == JobRejected.Why.UNKNOWN_SCENE) {
            return respond(Problem.of("unknown-scene", "Unknown scene", 404, e.getMessage()).withField("sceneDigest"));
        }
        return respond(Problem.of("invalid-job", "Invalid job request", 400, e.getMessage()).withErrors(e.reasons()));
    }

    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflict e) {
        return respond(Problem.of("idempotency-key-reused", "Idempotency-Key reused", 409, e.getMessage())
                .withField("Idempotency-Key"));
    }

    @ServerExceptionMapper
    public Response insufficientFunds(InsufficientFundsException e) {
        return respond(Problem.of("insufficient-funds", "Insufficient funds", 402,
                "account " + e.account() + " holds " + e.balance() + " micro-tokens; the quote is " + e.required()));
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return respond(Problem.of("malformed-request", "Malformed request body", 400,
                "the body is not valid JSON for this request: " + e.getOriginalMessage()));
    }

    /** A value of the wrong type (a string for a number, a list for an object): Quarkus's own mapper would answer an empty 400. */
    @ServerExceptionMapper
    public Response wrongJsonType(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response busy(farm.render.coordinator.intake.IsolatedSceneCompiler.ImportsBusyException e) {
        return Response.fromResponse(respond(Problem.of("imports-busy", "Too many imports at once", 503,
                "every scene import slot is busy; upload again in a minute")))
                .header("Retry-After", Long.toString(Math.max(1, e.waited().toSeconds() / 2))).build();
    }

    @ServerExceptionMapper
    public Response unavailable(StorageException e) {
        LOG.warn("object storage unavailable", e);
        return respond(Problem.of("service-unavailable", "Service unavailable", 503, "object storage is unavailable; try again"));
    }

    @ServerExceptionMapper
    public Response unavailable(Transactions.DatabaseException e) {
        LOG.warn("database unavailable", e);
        return respond(Problem.of("service-unavailable", "Service unavailable", 503, "the database is unavailable; try again"));
    }

    @ServerExceptionMapper
    public Response unavailable(DispatchException e) {
        LOG.warn("message bus unavailable", e);
        return respond(Problem.of("service-unavailable", "Service unavailable", 503, "the message bus is unavailable; try again"));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        return respond(Problem.of(slug, title, status, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected error", e);
        return respond(Problem.of("internal-error", "Internal error", 500, "the coordinator failed unexpectedly; the log has details"));
    }
}
