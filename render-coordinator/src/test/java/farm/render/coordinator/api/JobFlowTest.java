package farm.render.coordinator.api;

import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestWorkers;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.digest.Digests;
import farm.render.core.image.TileImage;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileTicket;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import static farm.render.coordinator.testing.TestAccounts.as;
import static farm.render.coordinator.testing.TestAccounts.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/**
 * A job end to end through the real broker and object store, with the test playing worker and verifier:
 * tasks arrive on the tier topic, tiles go up by presigned PUT, verdicts come back on render.verdicts.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class JobFlowTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    KafkaClients kafka;

    private String uploadScene(String account) {
        return as(account).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "triangle.gltf")
                .post("/api/v1/scenes").then().extract().path("digest");
    }

    @Test
    void aJobRunsFromSubmissionToAssembledFrameAndRefund() throws Exception {
        String account = "artist:flow-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = uploadScene(account);
        JsonPath created = as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 4, "tileSize", 8, "seed", 7))
                .post("/api/v1/jobs")
                .then().statusCode(201)
                .body("state", equalTo("RUNNING"))
                .body("tiles.total", equalTo(2))
                .body("tier", equalTo("standard"))
                .body("maxBounces", equalTo(8))
                .body("activeWorkers", equalTo(0))
                .extract().jsonPath();
        String job = created.getString("id");
        long quote = created.getLong("quote");
        assertThat(created.getLong("ledger.escrowed")).isEqualTo(quote);

        try (KafkaConsumer<String, byte[]> tasks = consumer(); KafkaProducer<String, byte[]> verdicts = producer()) {
            tasks.subscribe(List.of("render.tasks.standard"));
            Map<String, TileTicket> seen = new HashMap<>();
            awaitTasks(tasks, seen, job, m -> m.size() == 2);
            TileTask t0 = TestWorkers.task("gpu-a", seen.get(TileTask.taskId(job, 0, 0, 1)));
            TileTask t1 = TestWorkers.task("gpu-b", seen.get(TileTask.taskId(job, 0, 1, 1)));
            assertThat(t0.seed()).isEqualTo(7);
            assertThat(t0.workerId()).as("the task is bound to the worker that claimed it").isEqualTo("gpu-a");
            java.security.PublicKey coordinator = farm.render.core.identity.Ed25519.decodePublic(
                    as(account).get("/api/v1/identity").then().statusCode(200).extract().path("publicKey"));
            assertThat(t0.signatureValid(coordinator)).as("tasks are signed by the coordinator").isTrue();
            assertThat(t1.signatureValid(coordinator)).isTrue();
            assertThat(t0.sceneDigest()).isEqualTo(digest);

            // the presigned scene URL serves the compiled package, and tiles go up by presigned PUT
            HttpResponse<byte[]> pkg = HTTP.send(HttpRequest.newBuilder(URI.create(t0.sceneUrl())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pkg.statusCode()).isEqualTo(200);
            assertThat(Digests.sha256Hex(pkg.body())).isEqualTo(as(account).get("/api/v1/scenes/" + digest).then().extract().path("packageDigest"));
            byte[] half = tile(8, 8, 0.5f);
            put(t0.tileUploadUrl(), half);

            verdicts.send(new ProducerRecord<>(Topics.VERDICTS, "junk", "not a verdict".getBytes(StandardCharsets.UTF_8))).get();
            send(verdicts, verdict(t0, "gpu-a", true, half));
            send(verdicts, verdict(t0, "gpu-a", true, half)); // redelivered
            send(verdicts, verdict(t1, "gpu-b", false, half));

            awaitTasks(tasks, seen, job, m -> m.containsKey(TileTask.taskId(job, 0, 1, 2)));
            TileTask retry = TestWorkers.task("gpu-c", seen.get(TileTask.taskId(job, 0, 1, 2)));
            byte[] quarter = tile(8, 8, 0.25f);
            put(retry.tileUploadUrl(), quarter);
            send(verdicts, verdict(t1, "gpu-b", true, quarter)); // stale attempt: ignored
            send(verdicts, verdict(retry, "gpu-c", true, quarter));
        }

        JsonPath done = awaitState(account, job, "COMPLETED");
        assertThat(done.getInt("framesDone")).isEqualTo(1);
        assertThat(done.getInt("tiles.verified")).isEqualTo(2);
        assertThat(done.getInt("tiles.retries")).isEqualTo(1);
        // gpu-a and gpu-c had tiles verified; gpu-b only failed
        assertThat(done.getInt("activeWorkers")).as("workers with a verified tile in the last two minutes").isEqualTo(2);
        assertThat(done.getString("frames[0].url")).isEqualTo("/api/v1/jobs/" + job + "/frames/0.png");
        long paid = done.getLong("ledger.paid");
        long fees = done.getLong("ledger.fees");
        assertThat(done.getLong("ledger.refunded")).isEqualTo(quote - paid - fees);
        assertThat(done.getLong("ledger.held")).isZero();

        as(account).get("/api/v1/jobs/" + job + "/payments").then().statusCode(200)
                .body("", hasSize(2))
                .body("workerId", hasItem("gpu-a"))
                .body("workerId", hasItem("gpu-c"))
                .body("find { it.tile == 1 }.attempt", equalTo(2));
        // until the artist approves it the full frame is refused with a reason and the page shows a watermarked preview
        for (String full : List.of("/frames/0.png", "/frames/0.exr", "/frames.zip")) {
            as(account).get("/api/v1/jobs/" + job + full).then().statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("https://render.farm/problems/frame-not-approved"))
                    .body("detail", containsString("approve"));
        }
        byte[] preview = as(account).get("/api/v1/jobs/" + job + "/frames/0/preview.png")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        as(account).get("/api/v1/jobs/" + job + "/approvals").then().statusCode(200).body("", hasSize(0));
        String other = "artist:other-" + UUID.randomUUID().toString().substring(0, 8);
        as(other).post("/api/v1/jobs/" + job + "/frames/0/approve").then().statusCode(404);
        as(other).get("/api/v1/jobs/" + job + "/frames/0/preview.png").then().statusCode(404);
        as(other).get("/api/v1/jobs/" + job + "/frames/0.exr").then().statusCode(404);
        as(other).get("/api/v1/jobs/" + job + "/frames.zip").then().statusCode(404);
        as(account).post("/api/v1/jobs/" + job + "/frames/3/approve").then().statusCode(404)
                .contentType("application/problem+json");
        String approvedAt = as(account).post("/api/v1/jobs/" + job + "/frames/0/approve")
                .then().statusCode(200).body("frame", equalTo(0)).extract().path("approvedAt");
        as(account).post("/api/v1/jobs/" + job + "/frames/0/approve")
                .then().statusCode(200).body("approvedAt", equalTo(approvedAt));
        as(account).get("/api/v1/jobs/" + job + "/approvals").then().statusCode(200).body("", equalTo(List.of(0)));

        byte[] png = as(account).get("/api/v1/jobs/" + job + "/frames/0.png").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        assertThat(Arrays.copyOf(png, 4)).isEqualTo(new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        java.awt.image.BufferedImage framePixels = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        java.awt.image.BufferedImage previewPixels = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(preview));
        assertThat(previewPixels.getWidth()).isEqualTo(framePixels.getWidth());
        int marked = 0;
        for (int y = 0; y < framePixels.getHeight(); y++) {
            for (int x = 0; x < framePixels.getWidth(); x++) {
                marked += (framePixels.getRGB(x, y) & 0xFFFFFF) != (previewPixels.getRGB(x, y) & 0xFFFFFF) ? 1 : 0;
            }
        }
        assertThat(marked).as("pixels the watermark changed").isPositive();

        // the EXR holds the same frame in linear light: tile 0 was 0.5, tile 1 (the retry) 0.25
        byte[] exr = as(account).get("/api/v1/jobs/" + job + "/frames/0.exr").then().statusCode(200)
                .contentType("image/x-exr").extract().asByteArray();
        farm.render.core.image.Exr.Header header = farm.render.core.image.Exr.header(exr);
        assertThat(header.width()).isEqualTo(16);
        assertThat(header.height()).isEqualTo(8);
        assertThat(header.channels()).containsExactly("B", "G", "R");
        TileImage linear = farm.render.core.image.Exr.decode(exr);
        assertThat(linear.channel(3, 3, 0)).isEqualTo(0.5f);
        assertThat(linear.channel(12, 3, 2)).isEqualTo(0.25f);
        assertThat(framePixels.getRGB(3, 3) & 0xFF).isEqualTo(188); // sRGB of 0.5
        assertThat(framePixels.getRGB(12, 3) & 0xFF).isEqualTo(137); // sRGB of 0.25

        byte[] zip = as(account).get("/api/v1/jobs/" + job + "/frames.zip")
                .then().statusCode(200).contentType("application/zip").extract().asByteArray();
        try (java.util.zip.ZipInputStream entries = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            java.util.zip.ZipEntry entry = entries.getNextEntry();
            assertThat(entry.getName()).isEqualTo(job + "-frame-0.png");
            assertThat(entries.readAllBytes()).isEqualTo(png);
            assertThat(entries.getNextEntry().getName()).isEqualTo(job + "-frame-0.exr");
            assertThat(entries.readAllBytes()).isEqualTo(exr);
            assertThat(entries.getNextEntry()).isNull();
        }
        long balance = as(account).get("/api/v1/accounts/" + account).then().statusCode(200).extract().jsonPath().getLong("balance");
        assertThat(balance).isEqualTo(1_000_000_000_000L - paid - fees);
        asOperator().get("/api/v1/accounts/worker:gpu-c").then().statusCode(200);

        // a finished job's event stream sends its status once and ends
        as(account).accept("text/event-stream").get("/api/v1/jobs/" + job + "/events")
                .then().statusCode(200).body(containsString("\"state\":\"COMPLETED\""));
    }

    @Test
    void aRejectedFrameIsRenderedAgainAwayFromItsWorkersAndEachGenerationIsPaidOnce() throws Exception {
        String account = "artist:picky-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = uploadScene(account);
        JsonPath created = as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 4, "tileSize", 8, "tier", "economy"))
                .post("/api/v1/jobs").then().statusCode(201).extract().jsonPath();
        String job = created.getString("id");
        long quote = created.getLong("quote");
        long rejectedPrice;
        try (KafkaConsumer<String, byte[]> tasks = consumer(); KafkaProducer<String, byte[]> verdicts = producer()) {
            tasks.subscribe(List.of("render.tasks.economy"));
            Map<String, TileTicket> seen = new HashMap<>();
            awaitTasks(tasks, seen, job, m -> m.size() == 2);
            List<TileTask> first = new java.util.ArrayList<>();
            for (int tile = 0; tile < 2; tile++) {
                TileTask t = TestWorkers.task("gpu-first", seen.get(TileTask.taskId(job, 0, tile, 1)));
                first.add(t);
                byte[] bytes = tile(8, 8, 0.5f);
                put(t.tileUploadUrl(), bytes);
                send(verdicts, verdict(t, "gpu-first", true, bytes));
            }
            awaitState(account, job, "COMPLETED");
            long paidFirst = as(account).get("/api/v1/jobs/" + job).then().extract().jsonPath().getLong("ledger.paid");

            as(account).contentType("application/json").body(Map.of("reason", "x".repeat(1001)))
                    .post("/api/v1/jobs/" + job + "/frames/0/reject").then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("reason"));
            as("artist:stranger-" + UUID.randomUUID().toString().substring(0, 8)).contentType("application/json")
                    .body(Map.of("reason", "not mine")).post("/api/v1/jobs/" + job + "/frames/0/reject").then().statusCode(404);
            JsonPath rejection = as(account).contentType("application/json").body(Map.of("reason", "fireflies on the wall"))
                    .post("/api/v1/jobs/" + job + "/frames/0/reject").then().statusCode(200)
                    .body("generation", equalTo(1))
                    .body("workers", equalTo(List.of("gpu-first")))
                    .body("reason", equalTo("fireflies on the wall"))
                    .extract().jsonPath();
            rejectedPrice = rejection.getLong("topUp");
            assertThat(rejectedPrice).as("the re-render costs what the frame's tiles cost").isEqualTo(paidFirst
                    + as(account).get("/api/v1/jobs/" + job).then().extract().jsonPath().getLong("ledger.fees"));

            // the frame is rendering again: no preview, no approval, no second rejection, and the job runs again
            JsonPath again = as(account).get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath();
            assertThat(again.getString("state")).isEqualTo("RUNNING");
            assertThat(again.getBoolean("frames[0].done")).isFalse();
            assertThat(again.getLong("ledger.escrowed")).isEqualTo(quote + rejectedPrice);
            as(account).get("/api/v1/jobs/" + job + "/frames/0/preview.png").then().statusCode(404)
                    .body("type", equalTo("https://render.farm/problems/frame-not-ready"));
            as(account).post("/api/v1/jobs/" + job + "/frames/0/approve").then().statusCode(404);
            as(account).post("/api/v1/jobs/" + job + "/frames/0/reject").then().statusCode(404);

            awaitTasks(tasks, seen, job, m -> m.size() == 4);
            java.security.PublicKey coordinator = farm.render.core.identity.Ed25519.decodePublic(
                    as(account).get("/api/v1/identity").then().statusCode(200).extract().path("publicKey"));
            // a late pass of the rejected generation counts for nothing
            send(verdicts, verdict(first.get(0), "gpu-first", true, tile(8, 8, 0.5f)));
            for (int tile = 0; tile < 2; tile++) {
                TileTicket ticket = seen.get(TileTask.taskId(job, 0, tile, 2));
                farm.render.core.wire.ClaimAnswer refused = TestWorkers.claim("gpu-first", List.of(ticket)).get(0);
                assertThat(refused.refusal()).as("the worker whose render was rejected is kept away")
                        .isEqualTo(farm.render.core.wire.ClaimAnswer.AVOIDED);
                TileTask t = TestWorkers.task("gpu-second", ticket);
                assertThat(t.signatureValid(coordinator)).isTrue();
                byte[] bytes = tile(8, 8, 0.75f);
                put(t.tileUploadUrl(), bytes);
                send(verdicts, verdict(t, "gpu-second", true, bytes));
            }
        }
        JsonPath done = awaitState(account, job, "COMPLETED");
        assertThat(done.getLong("ledger.escrowed")).isEqualTo(quote + rejectedPrice);
        assertThat(done.getLong("ledger.held")).isZero();
        long paid = done.getLong("ledger.paid");
        long fees = done.getLong("ledger.fees");
        assertThat(paid + fees).isEqualTo(2 * rejectedPrice);
        assertThat(done.getLong("ledger.refunded")).isEqualTo(quote + rejectedPrice - paid - fees);
        assertThat(as(account).get("/api/v1/accounts/" + account).then().extract().jsonPath().getLong("balance"))
                .isEqualTo(1_000_000_000_000L - paid - fees);

        JsonPath payments = as(account).get("/api/v1/jobs/" + job + "/payments").then().statusCode(200).extract().jsonPath();
        assertThat(payments.getList("", Map.class)).hasSize(4);
        assertThat(payments.getList("findAll { it.generation == 1 }.workerId")).containsOnly("gpu-first").hasSize(2);
        assertThat(payments.getList("findAll { it.generation == 2 }.workerId")).containsOnly("gpu-second").hasSize(2);
        assertThat(payments.getList("findAll { it.generation == 2 }.tile")).containsExactlyInAnyOrder(0, 1);

        as(account).get("/api/v1/jobs/" + job + "/rejections").then().statusCode(200)
                .body("", hasSize(1)).body("[0].reason", equalTo("fireflies on the wall")).body("[0].frame", equalTo(0));
        as(account).post("/api/v1/jobs/" + job + "/frames/0/approve").then().statusCode(200);
        TileImage frame = farm.render.core.image.Exr.decode(as(account).get("/api/v1/jobs/" + job + "/frames/0.exr")
                .then().statusCode(200).extract().asByteArray());
        assertThat(frame.channel(3, 3, 1)).as("the frame is the re-render").isEqualTo(0.75f);
        as(account).post("/api/v1/jobs/" + job + "/frames/0/reject").then().statusCode(409)
                .body("type", equalTo("https://render.farm/problems/frame-approved"));
    }

    @Inject
    farm.render.coordinator.Transactions tx;

    @Inject
    farm.render.coordinator.ledger.Ledger ledger;

    @Test
    void aRejectionTheArtistCannotPayForChangesNothingAndSaysWhy() throws Exception {
        String account = "artist:broke-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = uploadScene(account);
        String job = as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 2, "tileSize", 8, "tier", "standard"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        try (KafkaConsumer<String, byte[]> tasks = consumer(); KafkaProducer<String, byte[]> verdicts = producer()) {
            tasks.subscribe(List.of("render.tasks.standard"));
            Map<String, TileTicket> seen = new HashMap<>();
            awaitTasks(tasks, seen, job, m -> m.size() == 1);
            TileTask t = TestWorkers.task("gpu-only", seen.get(TileTask.taskId(job, 0, 0, 1)));
            byte[] bytes = tile(8, 8, 0.5f);
            put(t.tileUploadUrl(), bytes);
            send(verdicts, verdict(t, "gpu-only", true, bytes));
        }
        awaitState(account, job, "COMPLETED");
        // the artist has spent everything else: nothing is left for a re-render
        tx.inTransaction(c -> ledger.transfer(c, farm.render.coordinator.ledger.EntryKind.MINT, null, "spent elsewhere", account,
                farm.render.coordinator.ledger.Accounts.MINT, ledger.balance(c, account)));
        as(account).contentType("application/json").body(Map.of("reason", "too dark"))
                .post("/api/v1/jobs/" + job + "/frames/0/reject").then().statusCode(402).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/insufficient-funds"))
                .body("detail", containsString("rendering frame 0 again costs"));
        JsonPath after = as(account).get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath();
        assertThat(after.getString("state")).isEqualTo("COMPLETED");
        assertThat(after.getBoolean("frames[0].done")).isTrue();
        as(account).get("/api/v1/jobs/" + job + "/rejections").then().statusCode(200).body("", hasSize(0));
        as(account).get("/api/v1/jobs/" + job + "/frames/0/preview.png").then().statusCode(200);
    }

    @Test
    void badJobRequestsGetProblems() {
        String account = "artist:bad-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = uploadScene(account);
        as(account).contentType("application/json").body(Map.of("sceneDigest", digest, "width", 0, "height", 8, "spp", 0))
                .post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/invalid-job"))
                .body("errors", hasSize(2));
        as(account).contentType("application/json").body(Map.of("sceneDigest", "0".repeat(64), "width", 8, "height", 8, "spp", 1))
                .post("/api/v1/jobs")
                .then().statusCode(404).contentType("application/problem+json")
                .body("field", equalTo("sceneDigest"));
        as(account).contentType("application/json").body("{\"sceneDigest\": ")
                .post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json");
        String whale = "artist:whale-" + UUID.randomUUID().toString().substring(0, 8);
        uploadScene(whale);
        as(whale).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 16384, "height", 16384, "spp", 65536, "tileSize", 1024, "tier", "priority"))
                .post("/api/v1/jobs")
                .then().statusCode(402).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/insufficient-funds"));
        as(account).get("/api/v1/jobs/nope").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/unknown-job"));
        given().get("/api/v1/no-such-path").then().statusCode(404).contentType("application/problem+json");
    }

    @jakarta.inject.Inject
    farm.render.coordinator.verdicts.VerdictHandler handler;

    @Test
    void aTileThatFailsFiveTimesFailsTheJobAndRefundsEverything() {
        String account = "artist:unlucky-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = uploadScene(account);
        JsonPath created = as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 1, "tileSize", 8, "tier", "economy"))
                .post("/api/v1/jobs").then().statusCode(201).extract().jsonPath();
        String job = created.getString("id");
        for (int attempt = 1; attempt <= 5; attempt++) {
            TileVerdict fail = new TileVerdict(TileTask.taskId(job, 0, 0, attempt), job, 0, 0, attempt, "liar", false, "forged", 16, 16,
                    List.of(), true);
            farm.render.coordinator.verdicts.VerdictOutcome outcome = handler.handle(fail);
            if (attempt < 5) {
                assertThat(outcome).isEqualTo(new farm.render.coordinator.verdicts.VerdictOutcome.Retried(attempt + 1));
            } else {
                assertThat(outcome).isInstanceOf(farm.render.coordinator.verdicts.VerdictOutcome.JobFailed.class);
            }
            // the same verdict again changes nothing
            assertThat(handler.handle(fail)).isInstanceOf(farm.render.coordinator.verdicts.VerdictOutcome.Ignored.class);
        }
        as(account).get("/api/v1/jobs/" + job).then().statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("tiles.failed", equalTo(1))
                .body("ledger.paid", equalTo(0))
                .body("ledger.held", equalTo(0))
                .body("ledger.refunded", equalTo(created.getInt("quote")));
        as(account).get("/api/v1/accounts/" + account).then().body("balance", equalTo(1_000_000_000_000L));
        as(account).get("/api/v1/jobs/" + job + "/frames/0.png").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/frame-not-ready"));
    }

    @Test
    void readinessCoversDatabaseStorageAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("kafka"))
                .body("checks.name", hasItem("object-storage"));
    }

    @Test
    void theWorkerShareGroupIsConfigured() throws Exception {
        Properties p = kafka.base("test-admin");
        try (Admin admin = Admin.create(p)) {
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, Topics.WORKER_SHARE_GROUP);
            Config config = admin.describeConfigs(List.of(group)).all().get().get(group);
            assertThat(config.get("share.auto.offset.reset").value()).isEqualTo("earliest");
            assertThat(config.get("share.record.lock.duration.ms").value()).isEqualTo("15000");
            assertThat(config.get("share.delivery.count.limit").value()).isEqualTo("5");
            assertThat(admin.listTopics().names().get()).contains("render.tasks.priority", "render.tasks.standard",
                    "render.tasks.economy", "render.results", "render.verdicts");
        }
    }

    private static byte[] tile(int w, int h, float v) {
        float[] rgb = new float[w * h * 3];
        Arrays.fill(rgb, v);
        return new TileImage(w, h, rgb).encode();
    }

    private static void put(String url, byte[] body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static TileVerdict verdict(TileTask t, String worker, boolean passed, byte[] bytes) {
        return TestWorkers.verdict(t, worker, passed, bytes);
    }

    private static void send(KafkaProducer<String, byte[]> p, TileVerdict v) throws Exception {
        p.send(new ProducerRecord<>(Topics.VERDICTS, v.taskId(), WireJson.encode(v))).get();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties p = kafka.base("test-consumer");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = kafka.base("test-producer");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void awaitTasks(KafkaConsumer<String, byte[]> consumer, Map<String, TileTicket> seen, String job,
                                   Predicate<Map<String, TileTicket>> until) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!until.test(seen)) {
            assertThat(System.nanoTime()).as("tasks of job %s so far: %s", job, seen.keySet()).isLessThan(deadline);
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                TileTicket t = WireJson.decode(r.value(), TileTicket.class);
                if (t.jobId().equals(job)) {
                    seen.put(t.taskId(), t);
                }
            }
        }
    }

    private static JsonPath awaitState(String account, String job, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonPath status = as(account).get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath();
            if (state.equals(status.getString("state"))) {
                return status;
            }
            assertThat(System.nanoTime()).as("job %s: %s", job, status.prettify()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
