package farm.render.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.coordinator.FarmConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every body but the raw scene upload's is small JSON: a declared length over
 * {@code farm.intake.max-request-body-bytes} is answered 413 and a body without a declared length 411,
 * both before a byte is read; an allowed body is read whole on the event loop before the endpoint runs.
 * Without this the HTTP layer's limit, set high for scene uploads, would let any JSON endpoint be fed
 * that many bytes, and a stalled body would hold a worker thread while the REST layer waited on it.
 */
@ApplicationScoped
public class RequestBodyLimit {
    private static final String SCENE_UPLOAD = "/api/v1/scenes";
    private static final long LINGER_MS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    void install(@Observes Router router, FarmConfig config, Vertx vertx) {
        long max = config.intake().maxRequestBodyBytes();
        BodyHandler whole = BodyHandler.create(false).setBodyLimit(max);
        // after the HTTP layer's own check (order -2), before any REST endpoint
        router.route().order(-1).handler(ctx -> check(ctx, max, vertx, whole))
                .failureHandler(ctx -> {
                    if (!(ctx.failure() instanceof HttpClosedException)) {
                        ctx.next();
                    } // else the client left while sending its body: nothing to answer, nothing to log
                });
    }

    private static void check(RoutingContext ctx, long max, Vertx vertx, BodyHandler whole) {
        HttpServerRequest request = ctx.request();
        if (request.method() == HttpMethod.POST && SCENE_UPLOAD.equals(ctx.normalizedPath())) {
            ctx.next(); // streamed and capped by the upload itself
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > max) {
                refuse(request, max, vertx);
                return;
            }
            if (declared > 0) {
                // read on the event loop; the REST layer takes the buffered body instead of blocking a worker thread on it
                whole.handle(ctx);
                return;
            }
        } else if (request.getHeader("Transfer-Encoding") != null) {
            // a body of unknown length would be read on a worker thread until the limit; ask for the length instead
            refuse(request, vertx, Problem.of("length-required", "Length required", 411, "send the request body with a"
                    + " Content-Length (at most " + max + " bytes); only scene uploads may be sent chunked").withField("body"));
            return;
        }
        ctx.next();
    }

    private static void refuse(HttpServerRequest request, long max, Vertx vertx) {
        refuse(request, vertx, Problem.of("request-too-large", "Request too large", 413, "request bodies are limited to " + max
                + " bytes; scenes go to /api/v1/scenes or, when large, to a resumable upload (/api/v1/uploads)").withField("body"));
    }

    private static void refuse(HttpServerRequest request, Vertx vertx, Problem problem) {
        String body;
        try {
            body = JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "";
        }
        request.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(body);
        // read and drop what the client still sends, so it sees the answer, then close
        request.handler(b -> {
        });
        request.endHandler(v -> {
        });
        request.resume();
        vertx.setTimer(LINGER_MS, t -> {
            if (!request.isEnded()) {
                request.connection().close();
            }
        });
    }
}
