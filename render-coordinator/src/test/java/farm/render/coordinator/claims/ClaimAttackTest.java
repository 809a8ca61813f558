package farm.render.coordinator.claims;

import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.TestWorkers;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.digest.Digests;
import farm.render.core.planning.DeviceMemoryNeed;
import farm.render.core.identity.Ed25519;
import farm.render.core.image.Exr;
import farm.render.core.image.TileImage;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.KafkaLogin;
import farm.render.core.wire.Tier;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileTicket;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static farm.render.coordinator.testing.TestAccounts.as;
import static farm.render.coordinator.testing.TestAccounts.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Attacks on the worker path by a stranger with a worker registration, on the real broker, S3Proxy and database:
 * reading task topics, writing another worker's tile, stealing or overriding attempts, working outside its tier or
 * while blocked, and changing its own tile after it was verified. Each attack must fail.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class ClaimAttackTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    KafkaClients kafka;

    private static String submit(String account, Tier tier, int width) {
        String digest = as(account).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "t.gltf")
                .post("/api/v1/scenes").then().extract().path("digest");
        return as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", width, "height", 8, "spp", 1, "tileSize", 8, "tier", tier.name().toLowerCase()))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
    }

    /** A rogue worker's Kafka login, from a registration like any other. */
    private static KafkaLogin rogueLogin() {
        String owner = TestAccounts.fresh("rogue");
        JsonPath body = as(owner).contentType("application/json")
                .body(Map.of("workerId", TestAccounts.fresh("rogue"), "publicKey", Ed25519.encodePublic(Ed25519.generate().getPublic())))
                .post("/api/v1/workers").then().statusCode(201).extract().jsonPath();
        return new KafkaLogin(body.getString("kafka.username"), body.getString("kafka.password"));
    }

    /** Tickets of the job read off the tier's topic the way an attacker would: assign() and seekToBeginning(), no group. */
    private Map<String, TileTicket> tickets(Optional<KafkaLogin> login, Tier tier, String job, Predicate<Map<String, TileTicket>> until,
                                            List<String> raw) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("client.id", "attack-" + UUID.randomUUID());
        Map<String, TileTicket> seen = new HashMap<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaLogin.with(login, p), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = reader.partitionsFor(tier.topic()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            reader.assign(parts);
            reader.seekToBeginning(parts);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(300))) {
                    TileTicket t = WireJson.decode(r.value(), TileTicket.class);
                    if (job.equals(t.jobId())) {
                        seen.put(t.taskId(), t);
                        raw.add(new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
                return until.test(seen);
            });
        }
        return seen;
    }

    private Map<String, TileTicket> tickets(Tier tier, String job, Predicate<Map<String, TileTicket>> until) {
        return tickets(kafka.login(), tier, job, until, new ArrayList<>());
    }

    private static int put(String url, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] tile(float v) {
        float[] rgb = new float[8 * 8 * 3];
        Arrays.fill(rgb, v);
        return new TileImage(8, 8, rgb).encode();
    }

    private void send(TileVerdict v) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.base("attack-verdicts"), new StringSerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(Topics.VERDICTS, v.taskId(), WireJson.encode(v))).get();
        }
    }

    private static JsonPath awaitStatus(String account, String job, Predicate<JsonPath> until) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> as(account).get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath(), until::test);
    }

    @Test
    void aWorkerLoginReadingATaskTopicFindsNoUrlAndNoSeed() {
        String account = TestAccounts.fresh("artist");
        String job = submit(account, Tier.STANDARD, 16);
        List<String> raw = new ArrayList<>();
        Map<String, TileTicket> seen = tickets(Optional.of(rogueLogin()), Tier.STANDARD, job, m -> m.size() == 2, raw);
        assertThat(raw).isNotEmpty().allSatisfy(json -> {
            assertThat(json).doesNotContain("http").doesNotContain("X-Amz").doesNotContain("Signature").doesNotContain("seed");
        });
        assertThat(seen.values()).allSatisfy(t -> assertThat(t.rect()).isNotNull());
    }

    @Test
    void anotherWorkersTileKeyCannotBeWrittenAndAnAttemptBelongsToItsFirstClaimant() throws Exception {
        String account = TestAccounts.fresh("artist");
        String job = submit(account, Tier.STANDARD, 16);
        Map<String, TileTicket> seen = tickets(Tier.STANDARD, job, m -> m.size() == 2);
        TileTicket first = seen.get(TileTask.taskId(job, 0, 0, 1));
        TileTask honest = TestWorkers.task("honest-1", first);
        TileTask rogueOwn = TestWorkers.task("rogue-1", seen.get(TileTask.taskId(job, 0, 1, 1)));

        // the rogue cannot take the honest worker's attempt: held by the first claimant
        ClaimAnswer stolen = TestWorkers.claim("rogue-1", List.of(first)).get(0);
        assertThat(stolen.refusal()).isEqualTo(ClaimAnswer.HELD);
        assertThat(stolen.task()).isNull();
        // its own URL pointed at the honest worker's key is refused by the store, and so is any key of another worker
        String honestKey = URI.create(honest.tileUploadUrl()).getRawPath();
        URI own = URI.create(rogueOwn.tileUploadUrl());
        String forged = own.getScheme() + "://" + own.getRawAuthority() + honestKey + "?" + own.getRawQuery();
        assertThat(put(forged, tile(0.9f))).isEqualTo(403);
        String sameAttemptOtherWorker = own.getRawPath().replace("/rogue-1.tile", "/honest-1.tile");
        assertThat(put(own.getScheme() + "://" + own.getRawAuthority() + sameAttemptOtherWorker + "?" + own.getRawQuery(), tile(0.9f)))
                .isEqualTo(403);
        // the honest worker's upload is its own, so its verdict pays it, and the rogue's refusal cost it nothing
        byte[] bytes = tile(0.5f);
        assertThat(put(honest.tileUploadUrl(), bytes)).isEqualTo(200);
        send(TestWorkers.verdict(honest, "honest-1", true, bytes));
        byte[] rogueBytes = tile(0.25f);
        assertThat(put(rogueOwn.tileUploadUrl(), rogueBytes)).isEqualTo(200);
        send(TestWorkers.verdict(rogueOwn, "rogue-1", true, rogueBytes));
        JsonPath done = awaitStatus(account, job, s -> "COMPLETED".equals(s.getString("state")));
        assertThat(done.getInt("tiles.verified")).isEqualTo(2);
        as(account).get("/api/v1/jobs/" + job + "/payments").then().statusCode(200)
                .body("find { it.tile == 0 }.workerId", equalTo("honest-1"))
                .body("find { it.tile == 0 }.attempt", equalTo(1));
    }

    @Test
    void aClaimRefusedForTierOrBlockIsPublishedAgainAndNeverRendered() throws Exception {
        String account = TestAccounts.fresh("artist");
        String job = submit(account, Tier.PRIORITY, 8);
        TileTicket ticket = tickets(Tier.PRIORITY, job, m -> m.size() == 1).values().iterator().next();
        // a new worker's reputation allows standard and economy only
        ClaimAnswer tier = TestWorkers.claim("newcomer-1", List.of(ticket)).get(0);
        assertThat(tier.refusal()).isEqualTo(ClaimAnswer.TIER);
        assertThat(tier.task()).isNull();
        // the refused ticket is published again for eligible workers (a refusal does not lose the tile)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> again = new ArrayList<>();
            tickets(kafka.login(), Tier.PRIORITY, job, m -> true, again);
            return again.size() >= 2;
        });
        as(account).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200); // leaves the priority tier to other tests

        // a blocked worker's claims are refused; only operators block
        String job2 = submit(account, Tier.STANDARD, 8);
        TileTicket standard = tickets(Tier.STANDARD, job2, m -> m.size() == 1).values().iterator().next();
        TestWorkers.keys("blocked-1");
        as(TestWorkers.OWNER).contentType("application/json").body(Map.of("reason", "I block myself"))
                .put("/api/v1/workers/blocked-1/block").then().statusCode(403);
        asOperator().contentType("application/json").body(Map.of("reason", "forged tiles"))
                .put("/api/v1/workers/blocked-1/block").then().statusCode(200);
        ClaimAnswer blocked = TestWorkers.claim("blocked-1", List.of(standard)).get(0);
        assertThat(blocked.refusal()).isEqualTo(ClaimAnswer.BLOCKED);
        assertThat(blocked.detail()).contains("forged tiles");
        asOperator().delete("/api/v1/workers/blocked-1/block").then().statusCode(204);
        assertThat(TestWorkers.claim("blocked-1", List.of(standard)).get(0).refusal()).isNull();

        // nobody claims for a worker it does not own
        as(TestAccounts.fresh("stranger")).contentType("application/json")
                .body("{\"tickets\":[{\"jobId\":\"" + job2 + "\",\"frame\":0,\"tile\":0,\"attempt\":1}]}")
                .post("/api/v1/workers/blocked-1/claims").then().statusCode(404);
    }

    @Test
    void aJobThatNeedsMoreDeviceMemoryThanAClaimDeclaresIsNeverGrantedToItAndIsRenderedByALargerDevice() throws Exception {
        String account = TestAccounts.fresh("artist");
        String job = submit(account, Tier.STANDARD, 8);
        JsonPath status = as(account).get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath();
        long need = status.getLong("deviceMemoryBytes");
        String scene = status.getString("sceneDigest");
        JsonPath sceneRecord = as(account).get("/api/v1/scenes/" + scene).then().statusCode(200).extract().jsonPath();
        long packageBytes = sceneRecord.getLong("packageBytes");
        assertThat(packageBytes).isPositive();
        assertThat(need).isEqualTo(DeviceMemoryNeed.upperBound(sceneRecord.getInt("triangles"), packageBytes, 8 * 8).total());
        assertThat(as(account).contentType("application/json")
                .body(Map.of("sceneDigest", scene, "width", 8, "height", 8, "spp", 1, "tileSize", 8))
                .post("/api/v1/quotes").then().statusCode(200).extract().jsonPath().getLong("deviceMemoryBytes")).isEqualTo(need);
        TileTicket ticket = tickets(Tier.STANDARD, job, m -> m.size() == 1).values().iterator().next();

        // a claim declaring a byte less, or nothing, is refused with both figures; nothing is held
        ClaimAnswer small = TestWorkers.claim("small-1", List.of(ticket), need - 1).get(0);
        assertThat(small.refusal()).isEqualTo(ClaimAnswer.DEVICE_MEMORY);
        assertThat(small.task()).isNull();
        assertThat(small.detail()).contains("needs " + DeviceMemoryNeed.mib(need) + " (" + need + " bytes)", "small-1",
                "declared " + DeviceMemoryNeed.mib(need - 1) + " (" + (need - 1) + " bytes)", "--vram-budget");
        ClaimAnswer undeclared = TestWorkers.claim("small-1", List.of(ticket), null).get(0);
        assertThat(undeclared.refusal()).isEqualTo(ClaimAnswer.DEVICE_MEMORY);
        assertThat(undeclared.detail()).contains("declared no device memory");
        as(TestWorkers.OWNER).contentType("application/json").body(Map.of("tickets", List.of(Map.of("jobId", job, "frame", 0,
                "tile", 0, "attempt", 1)), "deviceMemoryBytes", -1)).post("/api/v1/workers/small-1/claims").then().statusCode(400)
                .body("field", equalTo("deviceMemoryBytes"));

        // the tile went out again as a new attempt (another key, so another partition); a device with enough renders it
        TileTicket again = tickets(Tier.STANDARD, job, m -> m.containsKey(TileTask.taskId(job, 0, 0, 2))).get(TileTask.taskId(job, 0, 0, 2));
        assertThat(TestWorkers.claim("small-1", List.of(again), need - 1).get(0).refusal()).isEqualTo(ClaimAnswer.DEVICE_MEMORY);
        TileTask large = TestWorkers.task("large-1", again);
        assertThat(TestWorkers.claim("exact-1", List.of(ticket), need).get(0).refusal()).as("exactly the need is enough")
                .isNotEqualTo(ClaimAnswer.DEVICE_MEMORY);
        byte[] bytes = tile(0.5f);
        assertThat(put(large.tileUploadUrl(), bytes)).isEqualTo(200);
        send(TestWorkers.verdict(large, "large-1", true, bytes));
        awaitStatus(account, job, s -> "COMPLETED".equals(s.getString("state")));
        as(account).get("/api/v1/jobs/" + job + "/payments").then().statusCode(200)
                .body("find { it.tile == 0 }.workerId", equalTo("large-1"));
    }

    @Test
    void aTileChangedAfterItsVerdictNeverReachesTheFrameAndAnAssembledFrameNeverChanges() throws Exception {
        String account = TestAccounts.fresh("artist");
        String job = submit(account, Tier.STANDARD, 16);
        Map<String, TileTicket> seen = tickets(Tier.STANDARD, job, m -> m.size() == 2);
        TileTask t0 = TestWorkers.task("sly-1", seen.get(TileTask.taskId(job, 0, 0, 1)));
        TileTask t1 = TestWorkers.task("steady-1", seen.get(TileTask.taskId(job, 0, 1, 1)));
        byte[] verified = tile(0.5f);
        assertThat(put(t0.tileUploadUrl(), verified)).isEqualTo(200);
        byte[] steady = tile(0.5f);
        assertThat(put(t1.tileUploadUrl(), steady)).isEqualTo(200);
        send(TestWorkers.verdict(t1, "steady-1", true, steady));
        // the worker swaps its tile for stripes between the verifier's read and assembly
        assertThat(put(t0.tileUploadUrl(), tile(1.0f))).isEqualTo(200);
        send(TestWorkers.verdict(t0, "sly-1", true, verified));

        JsonPath noticed = awaitStatus(account, job, s -> !s.getList("notices").isEmpty());
        assertThat(noticed.getString("notices[0].detail")).contains("tile 0").contains("not the ones verified");
        assertThat(noticed.getBoolean("frames[0].done")).isFalse();
        // the tile renders again as a new attempt, and the frame is assembled from verified bytes only
        TileTicket again = tickets(Tier.STANDARD, job, m -> m.containsKey(TileTask.taskId(job, 0, 0, 2)))
                .get(TileTask.taskId(job, 0, 0, 2));
        TileTask redo = TestWorkers.task("steady-1", again);
        byte[] redone = tile(0.25f);
        assertThat(put(redo.tileUploadUrl(), redone)).isEqualTo(200);
        send(TestWorkers.verdict(redo, "steady-1", true, redone));
        awaitStatus(account, job, s -> "COMPLETED".equals(s.getString("state")));
        as(account).post("/api/v1/jobs/" + job + "/frames/0/approve").then().statusCode(200);
        byte[] exr = as(account).get("/api/v1/jobs/" + job + "/frames/0.exr").then().statusCode(200).extract().asByteArray();
        assertThat(Exr.decode(exr).channel(3, 3, 0)).as("tile 0 is the re-render, not the stripes").isEqualTo(0.25f);

        // after assembly the worker can still write its own key, but the frame is what was verified
        byte[] png = as(account).get("/api/v1/jobs/" + job + "/frames/0.png").then().statusCode(200).extract().asByteArray();
        assertThat(put(t1.tileUploadUrl(), tile(1.0f))).isEqualTo(200);
        assertThat(put(redo.tileUploadUrl(), tile(1.0f))).isEqualTo(200);
        assertThat(Digests.sha256Hex(as(account).get("/api/v1/jobs/" + job + "/frames/0.png").then().statusCode(200)
                .extract().asByteArray())).isEqualTo(Digests.sha256Hex(png));
    }

    @Test
    void undecodableVerifiedBytesSendTheTileBackOnceInsteadOfRetryingForever() throws Exception {
        String account = TestAccounts.fresh("artist");
        String job = submit(account, Tier.STANDARD, 8);
        TileTicket ticket = tickets(Tier.STANDARD, job, m -> m.size() == 1).values().iterator().next();
        TileTask t = TestWorkers.task("junk-1", ticket);
        byte[] junk = "not a tile at all".getBytes(StandardCharsets.UTF_8);
        assertThat(put(t.tileUploadUrl(), junk)).isEqualTo(200);
        send(TestWorkers.verdict(t, "junk-1", true, junk));
        // the notice and the tile's return are one transaction: the tile is queued again, not verified
        JsonPath status = awaitStatus(account, job, s -> !s.getList("notices").isEmpty() && s.getInt("tiles.verified") == 0);
        assertThat(status.getString("notices[0].detail")).contains("cannot be decoded");
        assertThat(status.getString("state")).isEqualTo("RUNNING");
        tickets(Tier.STANDARD, job, m -> m.containsKey(TileTask.taskId(job, 0, 0, 2)));
    }
}
