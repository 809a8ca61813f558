package farm.render.verifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.core.credentials.ApiTokens;
import farm.render.core.scene.InvalidSceneException;
import farm.render.worker.classes.ProbeRenderer;
import farm.render.worker.render.VulkanRenderer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The trusted verifier's side of numerical classes: at start it renders the probe tiles the coordinator asks for
 * ({@code probeCount} of {@code GET /api/v1/device-classes}) and hands in its class and their digests
 * ({@code PUT /api/v1/device-classes/reference}). Every worker's probe run is compared with these, bit for bit.
 */
final class ProbeReference {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeReference() {
    }

    /** Publishes this verifier's class and probe digests; a failure is said on stderr and never stops the verifier. */
    static void publish(VulkanRenderer renderer, String coordinator, String token) {
        String base = coordinator.endsWith("/") ? coordinator.substring(0, coordinator.length() - 1) : coordinator;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<byte[]> table = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/device-classes"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", ApiTokens.bearer(token)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (table.statusCode() != 200) {
                throw new IOException("GET /api/v1/device-classes answered " + table.statusCode());
            }
            int count = JSON.readTree(table.body()).path("probeCount").asInt(0);
            long start = System.nanoTime();
            List<String> digests = new ProbeRenderer(renderer, ProbeRenderer.samplesFolder()).digests(count);
            byte[] body = JSON.writeValueAsBytes(Map.of("numericalClass", renderer.numericalFacts(), "digests", digests));
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/device-classes/reference"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", ApiTokens.bearer(token))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("the coordinator refused the reference (" + r.statusCode() + "): " + new String(r.body()));
            }
            System.err.printf("frame-verifier: numerical class %s is the reference; %d probe tiles rendered in %d ms%n",
                    renderer.numericalFacts().classId(), count, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | InvalidSceneException | RuntimeException e) {
            System.err.println("frame-verifier: the probe reference was not published (workers of other classes stay unproven): "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
