package farm.render.worker.daemon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.core.credentials.ApiTokens;
import farm.render.core.wire.KafkaLogin;
import farm.render.core.wire.Tier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's one call to the coordinator's REST API: register its id and public key (idempotent
 * for the same key, refused for another) and learn its standing: reputation and the tiers it may
 * take, and the Kafka login it takes tasks with.
 */
public final class CoordinatorLink {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The worker's record: decayed pass and fail counts and the score they give. */
    public record Record(double passes, double fails, double score) {
    }

    /** What the coordinator says about this worker. */
    public record Standing(String workerId, Record reputation, List<Tier> allowedTiers, int sampledPixels, long stake, long available) {
        public Standing {
            allowedTiers = allowedTiers == null ? List.of() : List.copyOf(allowedTiers);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String token;

    /** A link acting for the GPU owner's account, whose API token is {@code token}. */
    public CoordinatorLink(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", ApiTokens.bearer(token));
    }

    static Standing parse(byte[] body) throws IOException {
        return JSON.readValue(body, Standing.class);
    }

    /** The Kafka bootstrap servers the coordinator tells its workers to use. */
    public String kafkaBootstrap() throws IOException {
        HttpRequest request = request("/api/v1/farm").timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("GET /api/v1/farm answered " + r.statusCode());
            }
            String kafka = JSON.readTree(r.body()).path("kafkaBootstrap").asText("");
            if (kafka.isBlank()) {
                throw new IOException("the coordinator did not name its Kafka servers");
            }
            return kafka;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** This worker's record as the coordinator keeps it: reputation, stake, earnings available. */
    public Standing standing(String workerId) throws IOException {
        HttpRequest request = request("/api/v1/workers/" + workerId)
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("GET /api/v1/workers/" + workerId + " answered " + r.statusCode());
            }
            return parse(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A registration's answer: the worker's standing and its own Kafka login (none where the broker is open). */
    public record Registration(Standing standing, Optional<KafkaLogin> kafkaLogin) {
    }

    static Registration parseRegistration(byte[] body) throws IOException {
        JsonNode kafka = JSON.readTree(body).path("kafka");
        return new Registration(parse(body), KafkaLogin.of(kafka.path("username").asText(null), kafka.path("password").asText(null)));
    }

    public Registration register(WorkerIdentity identity) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("workerId", identity.workerId(), "publicKey", identity.publicKey()));
        HttpRequest request = request("/api/v1/workers")
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                String detail;
                try {
                    detail = JSON.readTree(r.body()).path("detail").asText(new String(r.body()));
                } catch (IOException e) {
                    detail = new String(r.body());
                }
                throw new IOException("the coordinator refused registration (" + r.statusCode() + "): " + detail);
            }
            return parseRegistration(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Reports the device this worker renders on, its device score in paths per second (0: not measured) and the renderer version. */
    public void reportDevice(String workerId, String device, double pathsPerSecond, String rendererVersion) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("name", device, "pathsPerSecond", pathsPerSecond, "rendererVersion", rendererVersion));
        HttpRequest request = request("/api/v1/workers/" + workerId + "/device")
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("the coordinator refused the device report (" + r.statusCode() + "): " + new String(r.body()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
