package farm.render.coordinator.api;

import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON endpoints read at most farm.intake.max-request-body-bytes, only bodies that declare their length,
 * and never on a worker thread: stalled JSON bodies cannot starve health checks or the API.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class RequestBodyLimitTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URL root;

    @Test
    void aJsonBodyFromAClientThatAsksForAnH2cUpgradeIsReadOnce() throws Exception {
        // Java's HttpClient, as workers and scripts use it, offers "Upgrade: h2c" on every plain-http request
        HttpClient upgrading = HttpClient.newHttpClient();
        String token = TestAccounts.token(TestAccounts.fresh("h2c"));
        HttpResponse<String> r = upgrading.send(HttpRequest.newBuilder(URI.create(root + "api/v1/tokens"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"from a script\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).contains("from a script");
    }

    @Test
    void aJsonBodyDeclaredOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        String token = TestAccounts.token(TestAccounts.fresh("big-json"));
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: " + root.getHost() + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (512L << 20) + "\r\n\r\n{\"sceneDigest\":\"")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String status = in.readLine();
            assertThat(status).startsWith("HTTP/1.1 413");
            StringBuilder rest = new StringBuilder();
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                rest.append(line).append('\n');
            }
            assertThat(rest.toString()).containsIgnoringCase("application/problem+json");
        }
    }

    @Test
    void healthAndTheApiAnswerWithin2sWhile250JsonBodiesStall() throws Exception {
        String token = TestAccounts.token(TestAccounts.fresh("json-staller"));
        byte[] half = new byte[100 * 1024];
        Arrays.fill(half, (byte) ' ');
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 250; i++) {
                Socket s = new Socket(root.getHost(), root.getPort());
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: " + root.getHost() + "\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + 2 * half.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(half); // half the declared body, then nothing
                out.flush();
                sockets.add(s);
            }
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(root + "q/health"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(URI.create(root + "api/v1/jobs?limit=1"))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(api.statusCode()).isEqualTo(200);
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void aChunkedJsonBodyIsRefusedWith411BeforeItIsRead() throws Exception {
        String token = TestAccounts.token(TestAccounts.fresh("chunked-json"));
        byte[] filler = new byte[64 * 1024];
        Arrays.fill(filler, (byte) 'a');
        long total = 64L << 20;
        InputStream body = new InputStream() {
            private long sent;
            private final byte[] head = "{\"sceneDigest\":\"".getBytes(StandardCharsets.US_ASCII);

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= total) {
                    return -1;
                }
                byte[] src = sent == 0 ? head : filler;
                int n = (int) Math.min(Math.min(len, src.length), total - sent);
                System.arraycopy(src, 0, b, off, n);
                sent += n;
                return n;
            }
        };
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(root + "api/v1/jobs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(411);
        assertThat(response.body()).contains("length-required");
    }
}
