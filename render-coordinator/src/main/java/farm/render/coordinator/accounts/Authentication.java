package farm.render.coordinator.accounts;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * The one gate in front of every REST endpoint: resolves the session cookie or bearer token to an
 * account for {@link Caller}, refuses anonymous calls to all but {@link Public} methods, operators'
 * endpoints to everyone else, and spends the {@link RateLimited} buckets. Health, OpenAPI and the UI's
 * static files are not REST endpoints and stay open.
 */
public class Authentication {
    public static final String SESSION_COOKIE = "farm_session";
    private static final String BEARER = "Bearer ";

    private final AccountService accounts;
    private final Caller caller;
    private final RateLimits limits;

    public Authentication(AccountService accounts, Caller caller, RateLimits limits) {
        this.accounts = accounts;
        this.caller = caller;
        this.limits = limits;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Optional<Account> account = resolve(request);
        account.ifPresent(caller::authenticated);
        if (!method.isAnnotationPresent(Public.class)) {
            if (account.isEmpty()) {
                throw new AuthFailure.NotAuthenticated(
                        "sign in, or send an API token as 'Authorization: Bearer rf_…' (create one under API tokens)");
            }
            boolean operatorOnly = method.isAnnotationPresent(OperatorOnly.class)
                    || resource.getResourceClass().isAnnotationPresent(OperatorOnly.class);
            if (operatorOnly && !account.get().operator()) {
                throw new AuthFailure.NotOperator("only operator accounts may use " + request.getMethod() + " "
                        + request.getUriInfo().getPath());
            }
        }
        RateLimited limited = method.getAnnotation(RateLimited.class);
        if (limited != null) {
            limits.spend(limited.value(), account.map(Account::name).orElse(null), clientIp(http));
        }
    }

    private Optional<Account> resolve(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            // a wrong token is refused even where a session would do: a script should learn its token is bad
            Optional<Account> byToken = accounts.byToken(authorization.substring(BEARER.length()).strip());
            if (byToken.isEmpty()) {
                throw new AuthFailure.NotAuthenticated("the API token is unknown or revoked");
            }
            return byToken;
        }
        Cookie session = request.getCookies().get(SESSION_COOKIE);
        if (session != null && !session.getValue().isBlank()) {
            return accounts.bySession(session.getValue());
        }
        return Optional.empty();
    }

    /** The client's address as this replica sees it (behind a proxy, enable quarkus.http.proxy.* to use its headers). */
    public static String clientIp(HttpServerRequest http) {
        return http == null || http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }
}
