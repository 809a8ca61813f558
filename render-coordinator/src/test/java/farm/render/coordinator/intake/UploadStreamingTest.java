package farm.render.coordinator.intake;

import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raw scene uploads against the real stack, sent the way an attacker would: bodies larger than the cap
 * with and without a Content-Length, several at once, and hundreds that stall. Bodies are generated as
 * they are sent, so the test itself never holds one.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class UploadStreamingTest {
    private static final long MIB = 1L << 20;
    private static final Path SPOOL = Path.of("target/upload-spool");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL root;

    @AfterEach
    void noSpooledFileIsLeftBehind() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spooledFiles()).isEmpty());
    }

    @Test
    void aChunked300MiBUploadIsCutOffAtTheCapWithA413AndTheHeapStaysFlat() throws Exception {
        String account = TestAccounts.fresh("big-chunked");
        HeapWatch heap = new HeapWatch();
        Junk body = new Junk(300 * MIB, heap);
        HttpResponse<String> response = HTTP.send(upload(account, "huge.glb")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        heap.sample();
        System.out.printf("300 MiB chunked upload: status %d; %s; client sent %d MiB%n", response.statusCode(), heap, body.sent() / MIB);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).contains("upload-too-large").contains("/api/v1/uploads");
        assertThat(heap.growthBytes()).as("live heap growth during a 300 MiB upload").isLessThan(64 * MIB);
    }

    @Test
    void threeParallel200MiBUploadsAllGetA4xxAndTheHeapStaysFlat() throws Exception {
        String account = TestAccounts.fresh("parallel");
        HeapWatch heap = new HeapWatch();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Junk body = new Junk(200 * MIB, heap);
            sent.add(HTTP.sendAsync(upload(account, "parallel-" + i + ".glb")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), 200 * MIB))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            HttpResponse<String> r = f.get();
            statuses.add(r.statusCode());
            types.add(r.headers().firstValue("Content-Type").orElse(""));
        }
        heap.sample();
        System.out.printf("3 parallel 200 MiB uploads: statuses %s; %s%n", statuses, heap);
        assertThat(types).allSatisfy(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(statuses).allSatisfy(s -> assertThat(s).isIn(413, 422, 429));
        assertThat(statuses).as("the third upload of one account exceeds its two open uploads").contains(429);
        assertThat(heap.growthBytes()).as("live heap growth during three 200 MiB uploads").isLessThan(64 * MIB);
    }

    @Test
    void aContentLengthOverTheCapIsRefusedBeforeTheBodyIsRead() throws Exception {
        String account = TestAccounts.fresh("declared");
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(headers(account, "declared.glb", "Content-Length: " + (300 * MIB) + "\r\n"));
            out.flush(); // no body at all: the answer must come from the header alone
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 413");
            assertThat(head).containsIgnoringCase("application/problem+json");
        }
    }

    @Test
    void the413ComesAsSoonAsTheCapIsCrossedNotWhenTheBodyEnds() throws Exception {
        String account = TestAccounts.fresh("endless");
        byte[] chunk = new byte[65536];
        byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(headers(account, "endless.glb", "Transfer-Encoding: chunked\r\n"));
            for (long sent = 0; sent <= 257 * MIB; sent += chunk.length) {
                out.write(size);
                out.write(chunk);
                out.write(crlf);
            }
            out.flush(); // one MiB past the cap, and the body never ends: the answer cannot wait for its end
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void aClientThatAsksToContinueGetsA100ThenItsScene() throws Exception {
        String account = TestAccounts.fresh("continue");
        byte[] glb = farm.render.coordinator.testing.TinyScenes.glb();
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(headers(account, "continue.glb", "Content-Length: " + glb.length + "\r\nExpect: 100-continue\r\n"));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 100");
            out.write(glb);
            out.flush();
            assertThat(readHead(in)).matches("(?s)HTTP/1.1 20[01].*");
        }
    }

    @Test
    void chunkedContentThatIsNotASceneGetsA422() throws Exception {
        String account = TestAccounts.fresh("junk");
        Junk body = new Junk(5 * MIB, null);
        HttpResponse<String> response = HTTP.send(upload(account, "junk.gltf")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("invalid-scene");
    }

    @Test
    void healthAndTheApiAnswerWithin2sWhile250UploadBodiesStall() throws Exception {
        List<String> accounts = IntStream.range(0, 10).mapToObj(i -> TestAccounts.fresh("staller")).toList();
        accounts.forEach(TestAccounts::token);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 250; i++) {
                Socket s = new Socket(root.getHost(), root.getPort());
                s.setSoTimeout(60_000);
                OutputStream out = s.getOutputStream();
                out.write(headers(accounts.get(i % accounts.size()), "stall-" + i + ".glb", "Content-Length: " + (100 * MIB) + "\r\n"));
                out.write("glTF\u0002\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1)); // a few bytes, then nothing
                out.flush();
                sockets.add(s);
            }
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(root + "q/health"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                long healthMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(health.statusCode()).isEqualTo(200);
                start = System.nanoTime();
                HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(URI.create(root + "api/v1/scenes/" + "0".repeat(64)))
                        .header("Authorization", "Bearer " + TestAccounts.token(accounts.get(0)))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                long apiMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(api.statusCode()).isEqualTo(404);
                System.out.printf("while 250 upload bodies stall: /q/health %d ms, API %d ms%n", healthMs, apiMs);
            }
            // every stalled upload is answered: refused at once (429 per account, 503 on the replica) or cut off idle (408)
            Map<Integer, Integer> answers = new TreeMap<>();
            for (Socket s : sockets) {
                String head = readHead(s.getInputStream());
                int status = Integer.parseInt(head.substring(9, 12));
                answers.merge(status, 1, Integer::sum);
            }
            System.out.println("answers to 250 stalled uploads: " + answers);
            assertThat(answers.keySet()).isSubsetOf(408, 429, 503);
            assertThat(answers.getOrDefault(408, 0)).as("uploads admitted, then cut off idle").isBetween(1, 16);
            assertThat(answers).containsKey(429);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void aBodyThatTricklesInBelowTheMinimumRateIsCutOffWith408() throws Exception {
        String account = TestAccounts.fresh("trickle");
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(250);
            OutputStream out = socket.getOutputStream();
            out.write(headers(account, "trickle.glb", "Content-Length: " + MIB + "\r\n"));
            out.flush();
            StringBuilder answer = new StringBuilder();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            InputStream in = socket.getInputStream();
            while (answer.indexOf("\r\n\r\n") < 0 && System.nanoTime() < deadline) {
                out.write('x'); // one byte each time the read below times out: never idle, far too slow
                out.flush();
                try {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    answer.append((char) b);
                } catch (java.net.SocketTimeoutException e) {
                    // nothing yet
                }
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 408");
        }
    }

    private HttpRequest.Builder upload(String account, String filename) {
        return HttpRequest.newBuilder(URI.create(root + "api/v1/scenes?filename=" + filename))
                .header("Authorization", "Bearer " + TestAccounts.token(account))
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(5));
    }

    private byte[] headers(String account, String filename, String extra) {
        return ("POST /api/v1/scenes?filename=" + filename + " HTTP/1.1\r\n"
                + "Host: " + root.getHost() + ":" + root.getPort() + "\r\n"
                + "Authorization: Bearer " + TestAccounts.token(account) + "\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + extra + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The status line and headers of the response on {@code in}. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int b; head.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0; ) {
            head.append((char) b); // byte by byte: whatever follows the head stays on the stream
        }
        return head.toString();
    }

    private static List<Path> spooledFiles() throws IOException {
        if (!Files.isDirectory(SPOOL)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(SPOOL)) {
            return files.toList();
        }
    }

    /** Bytes that are no scene, produced as they are read; every 32 MiB it has the heap sampled. */
    private static final class Junk extends InputStream {
        private static final byte[] PATTERN = new byte[65536];

        static {
            new java.util.Random(7).nextBytes(PATTERN);
        }

        private final long length;
        private final HeapWatch heap;
        private final AtomicLong sent = new AtomicLong();
        private long nextSample = 32 * MIB;

        Junk(long length, HeapWatch heap) {
            this.length = length;
            this.heap = heap;
        }

        long sent() {
            return sent.get();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            long done = sent.get();
            if (done >= length) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, PATTERN.length), length - done);
            System.arraycopy(PATTERN, 0, b, off, n);
            sent.addAndGet(n);
            if (heap != null && done + n >= nextSample) {
                nextSample += 32 * MIB;
                heap.sample();
            }
            return n;
        }
    }

    /**
     * The coordinator runs in this JVM: the heap in use right after a full collection is what uploads keep
     * alive. A body held in memory shows as hundreds of MiB; a streamed one as a few.
     */
    static final class HeapWatch {
        private final long baseline;
        private long peak;

        HeapWatch() {
            this.baseline = liveHeap();
            this.peak = baseline;
        }

        synchronized void sample() {
            peak = Math.max(peak, liveHeap());
        }

        long growthBytes() {
            return peak - baseline;
        }

        private static long liveHeap() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        @Override
        public synchronized String toString() {
            return String.format("live heap %d MiB before, %d MiB at peak (+%d MiB)", baseline / MIB, peak / MIB, growthBytes() / MIB);
        }
    }
}
