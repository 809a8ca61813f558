package farm.render.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.LocalStack;
import farm.render.stack.services.FarmLayout;
import farm.render.stack.services.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole farm on real services (Kafka 4.4 broker, S3Proxy, PostgreSQL, lavapipe), started the
 * way {@code ./farm up} starts it, driven through the coordinator's REST API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeFarmTest {
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);

    Path workDir;
    LocalStack stack;
    FarmClient client;
    FarmLayout layout;
    String cornellDigest;

    @BeforeAll
    void startFarm() throws Exception {
        layout = FarmLayout.locate();
        workDir = Files.createTempDirectory("farm-e2e");
        // Two workers, tile locks short enough that a killed worker's tile comes back within seconds, and two
        // coordinator and verifier replicas sharing Kafka and PostgreSQL, as a scaled-out farm runs.
        stack = LocalStack.start(layout, new LocalStack.Options(workDir, 2, 4000, 2, 2), System.out::println);
        client = new FarmClient(stack.coordinatorUrl(), stack.operatorToken());
        cornellDigest = client.uploadScene(layout.sample("cornell-box/cornell-box.gltf")).path("digest").asText();
    }

    @AfterAll
    void stopFarm() {
        if (stack == null) {
            return;
        }
        List<Long> pids = stack.pids().subList(1, stack.pids().size());
        stack.close();
        assertThat(pids).allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d still alive", pid).isFalse());
    }

    private JsonNode submit(int size, int spp, int tile) throws Exception {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("sceneDigest", cornellDigest);
        job.put("width", size);
        job.put("height", size);
        job.put("spp", spp);
        job.put("maxBounces", 4);
        job.put("tileSize", tile);
        job.put("tier", "standard");
        return client.createJob(job);
    }

    private JsonNode awaitEnd(String jobId) {
        return await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.job(jobId), s -> !s.path("state").asText().equals("RUNNING"));
    }

    private void assertPaidExactlyOnce(String jobId, int tiles) throws Exception {
        JsonNode payments = client.payments(jobId);
        Set<String> paidTiles = new HashSet<>();
        for (JsonNode p : payments) {
            assertThat(paidTiles.add(p.path("frame").asInt() + "/" + p.path("tile").asInt()))
                    .as("tile %s paid twice", p).isTrue();
            assertThat(p.path("amount").asLong()).isPositive();
        }
        assertThat(paidTiles).hasSize(tiles);
    }

    @Test
    @Order(1)
    void randomBytesAreRefusedWithAReason() {
        byte[] noise = new byte[8192];
        new Random(1).nextBytes(noise);
        assertThatThrownBy(() -> client.uploadScene("noise.glb", noise))
                .isInstanceOfSatisfying(FarmClient.FarmApiException.class, e -> {
                    assertThat(e.status()).isBetween(400, 499);
                    assertThat(e.problem().path("detail").asText()).isNotBlank();
                });
    }

    @Test
    @Order(2)
    void aTruncatedGlbIsRefusedWithAReason() throws Exception {
        byte[] glb = glb(Files.readString(layout.sample("cornell-box/cornell-box.gltf")));
        byte[] truncated = Arrays.copyOf(glb, glb.length / 3);
        assertThatThrownBy(() -> client.uploadScene("cornell.glb", truncated))
                .isInstanceOfSatisfying(FarmClient.FarmApiException.class, e -> {
                    assertThat(e.status()).isBetween(400, 499);
                    assertThat(e.problem().path("detail").asText()).isNotBlank();
                });
        // the whole file is accepted, so the refusal above was about the truncation
        assertThat(client.uploadScene("cornell.glb", glb).path("triangles").asInt()).isEqualTo(32);
    }

    @Test
    @Order(3)
    void aJobRunsThroughTheWholeFarmAndEachTileIsPaidOnce() throws Exception {
        JsonNode created = submit(96, 8, 32);
        String jobId = created.path("id").asText();
        int tiles = created.path("tiles").path("total").asInt();
        assertThat(tiles).isEqualTo(9);

        JsonNode done = awaitEnd(jobId);
        assertThat(done.path("state").asText()).isEqualTo("COMPLETED");

        BufferedImage frame = ImageIO.read(new ByteArrayInputStream(client.framePng(jobId, 0)));
        assertThat(frame.getWidth()).isEqualTo(96);
        assertThat(frame.getHeight()).isEqualTo(96);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < 96; y += 4) {
            for (int x = 0; x < 96; x += 4) {
                colours.add(frame.getRGB(x, y));
            }
        }
        assertThat(colours).as("distinct colours in the frame").hasSizeGreaterThan(50);

        assertPaidExactlyOnce(jobId, tiles);
        JsonNode ledger = done.path("ledger");
        long escrowed = ledger.path("escrowed").asLong();
        long paid = ledger.path("paid").asLong();
        long fees = ledger.path("fees").asLong();
        long refunded = ledger.path("refunded").asLong();
        assertThat(escrowed).isPositive();
        assertThat(refunded).isPositive();
        assertThat(escrowed - paid - fees).isEqualTo(refunded);
    }

    @Test
    @Order(4)
    void aKilledWorkersTileIsRedeliveredAndTheJobCompletesWithoutDoublePayment() throws Exception {
        JsonNode created = submit(128, 192, 64);
        String jobId = created.path("id").asText();
        int tiles = created.path("tiles").path("total").asInt();

        // Kill whichever worker is first seen in the middle of a tile of this job.
        ServiceProcess victim = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> stack.workers().stream().filter(w -> w.logContains("rendering task " + jobId)).findFirst(),
                        java.util.Optional::isPresent).orElseThrow();
        victim.kill();
        assertThat(victim.isAlive()).isFalse();

        JsonNode done = awaitEnd(jobId);
        assertThat(done.path("state").asText()).isEqualTo("COMPLETED");
        // the killed worker held the claim on its tile's attempt: the redelivered ticket's claim was refused to a
        // survivor, which acknowledged it, and the tile went out again as its next attempt
        java.util.regex.Pattern refused = java.util.regex.Pattern.compile("ticket " + java.util.regex.Pattern.quote(jobId)
                + "\\S* not ours: held-by-another-worker");
        assertThat(stack.workers().stream().filter(ServiceProcess::isAlive)
                .anyMatch(w -> refused.matcher(w.tail(100_000)).find()))
                .as("a surviving worker was refused the killed worker's attempt").isTrue();
        assertPaidExactlyOnce(jobId, tiles);
    }

    @Test
    @Order(5)
    void workersHaveARecordAndTheExportedLedgerChecksOutOffline() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String worker = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.coordinatorUrl()
                        + "/api/v1/workers/local-worker-2")).header("Authorization", "Bearer " + stack.operatorToken()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        JsonNode standing = new com.fasterxml.jackson.databind.ObjectMapper().readTree(worker);
        assertThat(standing.path("publicKey").asText()).isNotBlank();
        assertThat(standing.path("reputation").path("passes").asDouble()).as(worker).isPositive();
        assertThat(standing.path("reputation").path("fails").asDouble()).as("honest workers never fail").isZero();

        String export = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.coordinatorUrl()
                + "/api/v1/ledger/export")).header("Authorization", "Bearer " + stack.operatorToken()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        var contents = farm.render.core.ledger.LedgerExport.read(new java.io.BufferedReader(new java.io.StringReader(export)));
        var check = farm.render.core.ledger.LedgerChain.verify(
                farm.render.core.identity.Ed25519.decodePublic(contents.header().coordinatorPublicKey()), contents.entries());
        assertThat(check).isInstanceOf(farm.render.core.ledger.ChainCheck.Intact.class);
        assertThat(contents.entries()).anySatisfy(e -> assertThat(e.kind()).isEqualTo("TILE_PAYMENT"));
    }

    @Test
    @Order(6)
    void aJobSubmittedToOneCoordinatorReplicaCompletesAndIsServedByTheOther() throws Exception {
        FarmClient first = new FarmClient(stack.coordinatorUrls().get(0), stack.operatorToken());
        FarmClient second = new FarmClient(stack.coordinatorUrls().get(1), stack.operatorToken());
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("sceneDigest", cornellDigest);
        job.put("width", 64);
        job.put("height", 64);
        job.put("spp", 4);
        job.put("tileSize", 16);
        job.put("frames", "0-1");
        JsonNode created = first.createJob(job);
        String jobId = created.path("id").asText();
        int tiles = created.path("tiles").path("total").asInt();
        assertThat(tiles).isEqualTo(32);

        JsonNode done = await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> second.job(jobId), s -> !s.path("state").asText().equals("RUNNING"));
        assertThat(done.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(ImageIO.read(new ByteArrayInputStream(second.framePng(jobId, 1))).getWidth()).isEqualTo(64);
        Set<String> paid = new HashSet<>();
        for (JsonNode p : second.payments(jobId)) {
            assertThat(paid.add(p.path("frame").asInt() + "/" + p.path("tile").asInt())).as("paid twice: %s", p).isTrue();
        }
        assertThat(paid).hasSize(tiles);
        JsonNode ledger = done.path("ledger");
        assertThat(ledger.path("escrowed").asLong() - ledger.path("paid").asLong() - ledger.path("fees").asLong())
                .isEqualTo(ledger.path("refunded").asLong());
    }

    /** Packs a glTF whose buffer is a data URI into a binary GLB (same scene, other container). */
    static byte[] glb(String gltfJson) throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(gltfJson);
        var buffer = (com.fasterxml.jackson.databind.node.ObjectNode) doc.withArray("buffers").get(0);
        String uri = buffer.get("uri").asText();
        byte[] bin = java.util.Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1));
        buffer.remove("uri");
        byte[] json = mapper.writeValueAsBytes(doc);
        int jsonLen = (json.length + 3) & ~3;
        int binLen = (bin.length + 3) & ~3;
        var out = java.nio.ByteBuffer.allocate(12 + 8 + jsonLen + 8 + binLen).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x46546C67).putInt(2).putInt(out.capacity());
        out.putInt(jsonLen).putInt(0x4E4F534A).put(json);
        for (int i = json.length; i < jsonLen; i++) {
            out.put((byte) ' ');
        }
        out.putInt(binLen).putInt(0x004E4942).put(bin);
        return out.array();
    }
}
