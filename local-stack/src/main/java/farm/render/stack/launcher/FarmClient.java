package farm.render.stack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.core.credentials.ApiTokens;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A small client of the coordinator's REST API, for the demo, scripts and end-to-end tests. */
public final class FarmClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String token;

    /** A client acting for the account {@code token} (an API token, rf_…) belongs to. */
    public FarmClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    /** An answer the caller did not hope for: its status and problem document. */
    public static final class FarmApiException extends IOException {
        private final int status;
        private final JsonNode problem;

        FarmApiException(int status, JsonNode problem) {
            super("HTTP " + status + ": " + (problem.hasNonNull("detail") ? problem.get("detail").asText() : problem.toString()));
            this.status = status;
            this.problem = problem;
        }

        public int status() {
            return status;
        }

        public JsonNode problem() {
            return problem;
        }
    }

    public JsonNode uploadScene(String filename, byte[] content) throws IOException {
        return send(authorized(uri("/api/v1/scenes?filename=" + URLEncoder.encode(filename, StandardCharsets.UTF_8)))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build());
    }

    public JsonNode uploadScene(Path file) throws IOException {
        return uploadScene(file.getFileName().toString(), Files.readAllBytes(file));
    }

    public JsonNode createJob(Map<String, Object> job) throws IOException {
        return send(authorized(uri("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(job))).build());
    }

    /** A job as {@code POST /api/v1/jobs} answered: {@code created} false when an Idempotency-Key replay found an earlier job. */
    public record Submitted(JsonNode job, boolean created) {
    }

    /** Creates a job once per {@code idempotencyKey} (null for none); repeating the call with the same key finds the same job. */
    public Submitted createJob(Map<String, Object> job, String idempotencyKey) throws IOException {
        HttpRequest.Builder b = authorized(uri("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(job)));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<byte[]> r = exchange(b.build());
        return new Submitted(JSON.readTree(r.body()), r.statusCode() == 201);
    }

    /** The price of the job this request would create; creates nothing. */
    public JsonNode quote(Map<String, Object> job) throws IOException {
        return send(authorized(uri("/api/v1/quotes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(job))).build());
    }

    /** One page of this account's jobs, newest first; pass the previous page's {@code nextCursor}, or null. */
    public JsonNode jobs(int limit, String cursor) throws IOException {
        String query = "?limit=" + limit + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        return send(authorized(uri("/api/v1/jobs" + query)).GET().build());
    }

    public JsonNode job(String id) throws IOException {
        return send(authorized(uri("/api/v1/jobs/" + id)).GET().build());
    }

    /** Stops dispatching the job's tiles; those already out finish. Answers the job's status. */
    public JsonNode pause(String id) throws IOException {
        return send(authorized(uri("/api/v1/jobs/" + id + "/pause")).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public JsonNode resume(String id) throws IOException {
        return send(authorized(uri("/api/v1/jobs/" + id + "/resume")).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public JsonNode cancel(String id) throws IOException {
        return send(authorized(uri("/api/v1/jobs/" + id + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Sets the job's dispatch priority (0-100, higher first). */
    public JsonNode priority(String id, int priority) throws IOException {
        return send(authorized(uri("/api/v1/jobs/" + id + "/priority")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("priority", priority)))).build());
    }

    public JsonNode payments(String id) throws IOException {
        return send(authorized(uri("/api/v1/jobs/" + id + "/payments")).GET().build());
    }

    /** Approves an assembled frame and downloads its PNG: what a script that takes every frame as rendered does. */
    public byte[] framePng(String id, int frame) throws IOException {
        approve(id, frame);
        return frame(id, frame, "png");
    }

    /** An approved frame as {@code png} (sRGB) or {@code exr} (linear float); a frame not approved yet answers 409. */
    public byte[] frame(String id, int frame, String format) throws IOException {
        HttpResponse<byte[]> r = exchange(authorized(uri("/api/v1/jobs/" + id + "/frames/" + frame + "." + format)).GET().build());
        return r.body();
    }

    /** Approves an assembled frame (recorded once), which makes its full PNG and EXR downloadable. */
    public JsonNode approve(String id, int frame) throws IOException {
        return send(authorized(uri("/api/v1/jobs/" + id + "/frames/" + frame + "/approve"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Rejects an assembled frame with a reason: it is rendered again (the escrow is topped up by its price). */
    public JsonNode reject(String id, int frame, String reason) throws IOException {
        return send(authorized(uri("/api/v1/jobs/" + id + "/frames/" + frame + "/reject")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("reason", reason)))).build());
    }

    /** The balance of a ledger account this account may see (its own {@code artist:NAME}), in micro-tokens. */
    public long balance(String ledgerAccount) throws IOException {
        return send(authorized(uri("/api/v1/accounts/" + URLEncoder.encode(ledgerAccount, StandardCharsets.UTF_8))).GET().build())
                .path("balance").asLong();
    }

    /** The signed-in account: name, ledger account, operator flag. */
    public JsonNode me() throws IOException {
        return send(authorized(uri("/api/v1/me")).GET().build());
    }

    /** Signs up a new account and returns an API token for it (sign-up, login, create token). */
    public static String signUp(String baseUrl, String name, String password) throws IOException {
        FarmClient anonymous = new FarmClient(baseUrl, null);
        byte[] credentials = JSON.writeValueAsBytes(Map.of("name", name, "password", password));
        anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/v1/accounts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(credentials)).build());
        HttpResponse<byte[]> login = anonymous.exchange(HttpRequest.newBuilder(anonymous.uri("/api/v1/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(credentials)).build());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow(() -> new IOException("login set no session cookie"));
        JsonNode token = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/v1/tokens"))
                .header("Content-Type", "application/json").header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("name", name + " script")))).build());
        return token.path("token").asText();
    }

    private HttpRequest.Builder authorized(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        return token == null ? b : b.header("Authorization", ApiTokens.bearer(token));
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private JsonNode send(HttpRequest request) throws IOException {
        byte[] body = exchange(request).body();
        return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    }

    private HttpResponse<byte[]> exchange(HttpRequest request) throws IOException {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                JsonNode problem;
                try {
                    problem = JSON.readTree(r.body());
                } catch (IOException e) {
                    problem = JSON.createObjectNode().put("detail", new String(r.body(), StandardCharsets.UTF_8));
                }
                throw new FarmApiException(r.statusCode(), problem == null ? JSON.createObjectNode() : problem);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
