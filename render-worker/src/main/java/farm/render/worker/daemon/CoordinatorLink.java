package farm.render.worker.daemon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.core.credentials.ApiTokens;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.ClaimRequest;
import farm.render.core.classes.NumericalFacts;
import farm.render.core.wire.KafkaLogin;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import farm.render.core.wire.ProbeReport;
import farm.render.core.wire.TileTicket;
import farm.render.core.wire.WireJson;
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
 * The worker's authenticated link to the coordinator's REST API: register its id and public key (idempotent
 * for the same key, refused for another) and learn its standing (reputation, the tiers it may take, the Kafka
 * login it takes tickets with), report its device, and claim the tickets it acquires.
 */
public final class CoordinatorLink implements TileClaimer {
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

    /** A JSON body sent to path with the given method (POST, PUT). */
    private HttpRequest jsonRequest(String method, String path, Object body) throws IOException {
        return request(path).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static Standing parse(byte[] body) throws IOException {
        return JSON.readValue(body, Standing.class);
    }

    /** The Kafka bootstrap servers the coordinator tells its workers to use. */
    public String kafkaBootstrap() throws IOException {
        HttpResponse<byte[]> r = send(request("/api/v1/farm").timeout(Duration.ofSeconds(30)).GET().build());
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/v1/farm answered " + r.statusCode());
        }
        String kafka = JSON.readTree(r.body()).path("kafkaBootstrap").asText("");
        if (kafka.isBlank()) {
            throw new IOException("the coordinator did not name its Kafka servers");
        }
        return kafka;
    }

    /** This worker's record as the coordinator keeps it: reputation, stake, earnings available. */
    public Standing standing(String workerId) throws IOException {
        HttpResponse<byte[]> r = send(request("/api/v1/workers/" + workerId).timeout(Duration.ofSeconds(10)).GET().build());
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/v1/workers/" + workerId + " answered " + r.statusCode());
        }
        return parse(r.body());
    }

    /** A registration's answer: the worker's standing and its own Kafka login (none where the broker is open). */
    public record Registration(Standing standing, Optional<KafkaLogin> kafkaLogin) {
    }

    static Registration parseRegistration(byte[] body) throws IOException {
        JsonNode kafka = JSON.readTree(body).path("kafka");
        return new Registration(parse(body), KafkaLogin.of(kafka.path("username").asText(null), kafka.path("password").asText(null)));
    }

    public Registration register(WorkerIdentity identity) throws IOException {
        HttpResponse<byte[]> r = send(jsonRequest("POST", "/api/v1/workers",
                Map.of("workerId", identity.workerId(), "publicKey", identity.publicKey())));
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
    }

    /**
     * Reports the device this worker renders on, its device score in paths per second (0: not measured), the renderer
     * version and the facts of its numerical class; answers the class's status as the coordinator keeps it.
     */
    public String reportDevice(String workerId, String device, double pathsPerSecond, String rendererVersion,
                               NumericalFacts numericalClass) throws IOException {
        HttpResponse<byte[]> r = send(jsonRequest("PUT", "/api/v1/workers/" + workerId + "/device",
                Map.of("name", device, "pathsPerSecond", pathsPerSecond, "rendererVersion", rendererVersion,
                        "numericalClass", numericalClass)));
        if (r.statusCode() / 100 != 2) {
            throw new IOException("the coordinator refused the device report (" + r.statusCode() + "): " + new String(r.body()));
        }
        return JSON.readTree(r.body()).path("numericalClassStatus").asText("unknown");
    }

    @Override
    public void reportProbes(ProbeReport report) throws IOException {
        HttpResponse<byte[]> r = send(jsonRequest("POST", "/api/v1/workers/" + report.workerId() + "/probes", report));
        if (r.statusCode() / 100 != 2) {
            throw new IOException("the coordinator refused the probe report (" + r.statusCode() + "): " + new String(r.body()));
        }
    }

    @Override
    public String reportPeerCheck(PeerCheckReport report) throws IOException {
        HttpResponse<byte[]> r = send(jsonRequest("POST", "/api/v1/workers/" + report.workerId() + "/peer-checks", report));
        if (r.statusCode() / 100 != 2) {
            throw new IOException("the coordinator refused the peer-check report (" + r.statusCode() + "): " + new String(r.body()));
        }
        return JSON.readTree(r.body()).path("outcome").asText("unknown");
    }

    @Override
    public Optional<PeerCheckAssignment> nextPeerCheck(String workerId) throws IOException {
        HttpResponse<byte[]> r = send(jsonRequest("POST", "/api/v1/workers/" + workerId + "/peer-checks/next", Map.of()));
        if (r.statusCode() / 100 != 2) {
            throw new IOException("the coordinator refused to hand out a peer check (" + r.statusCode() + "): " + new String(r.body()));
        }
        JsonNode check = JSON.readTree(r.body()).path("check");
        return check.isMissingNode() || check.isNull() ? Optional.empty()
                : Optional.of(WireJson.decode(JSON.writeValueAsBytes(check), PeerCheckAssignment.class));
    }

    @Override
    public List<ClaimAnswer> claim(String workerId, List<TileTicket> tickets, long deviceMemoryBytes) throws IOException {
        HttpResponse<byte[]> r = send(jsonRequest("POST", "/api/v1/workers/" + workerId + "/claims",
                new ClaimRequest(tickets.stream().map(TileTicket::ref).toList(), deviceMemoryBytes)));
        if (r.statusCode() != 200) {
            throw new IOException("the coordinator refused the claim (" + r.statusCode() + "): " + new String(r.body()));
        }
        List<ClaimAnswer> answers = WireJson.decode(r.body(), ClaimAnswer.Batch.class).answers();
        if (answers.size() != tickets.size()) {
            throw new IOException("the coordinator answered " + answers.size() + " of " + tickets.size() + " claimed tickets");
        }
        return answers;
    }
}
