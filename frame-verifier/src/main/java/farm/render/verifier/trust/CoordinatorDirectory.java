package farm.render.verifier.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.core.credentials.ApiTokens;
import farm.render.core.identity.Ed25519;
import farm.render.core.wire.Reputation;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys and records from the coordinator's REST API ({@code GET /api/v1/identity},
 * {@code GET /api/v1/workers/{id}}), cached: the coordinator key for the process's life, a worker's
 * entry for {@code ttl} (a registered key never changes; the reputation drifts slowly). Unknown
 * workers are asked again each time, so a worker that registers a moment later is found.
 */
public final class CoordinatorDirectory implements WorkerDirectory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Cached(RegisteredWorker worker, long fetchedNanos) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Cached> workers = new ConcurrentHashMap<>();
    private volatile PublicKey coordinatorKey;

    /** {@code token}: an operator's API token, since the verifier reads every account's workers. */
    public CoordinatorDirectory(String baseUrl, String token, Duration ttl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public PublicKey coordinatorKey() throws IOException {
        PublicKey key = coordinatorKey;
        if (key == null) {
            JsonNode body = get("/api/v1/identity").orElseThrow(() -> new IOException("the coordinator has no identity yet"));
            key = Ed25519.decodePublic(body.path("publicKey").asText());
            coordinatorKey = key;
        }
        return key;
    }

    @Override
    public Optional<RegisteredWorker> worker(String workerId) throws IOException {
        Cached cached = workers.get(workerId);
        if (cached != null && System.nanoTime() - cached.fetchedNanos() < ttlNanos) {
            return Optional.of(cached.worker());
        }
        Optional<JsonNode> body = get("/api/v1/workers/" + URLEncoder.encode(workerId, StandardCharsets.UTF_8));
        if (body.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = body.get();
        JsonNode rep = n.path("reputation");
        RegisteredWorker w = new RegisteredWorker(workerId, Ed25519.decodePublic(n.path("publicKey").asText()),
                new Reputation(rep.path("passes").asDouble(), rep.path("fails").asDouble()));
        workers.put(workerId, new Cached(w, System.nanoTime()));
        return Optional.of(w);
    }

    private Optional<JsonNode> get(String path) throws IOException {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").header("Authorization", ApiTokens.bearer(token)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            if (r.statusCode() != 200) {
                throw new IOException("GET " + path + " answered " + r.statusCode());
            }
            return Optional.of(JSON.readTree(r.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("the coordinator sent a malformed key: " + e.getMessage());
        }
    }
}
