package farm.render.coordinator.api;

import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.wire.TileTicket;
import farm.render.coordinator.testing.TestWorkers;
import farm.render.core.wire.WireJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static farm.render.coordinator.testing.TestAccounts.as;
import static farm.render.coordinator.testing.TestAccounts.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** The job API beyond the happy path of one frame: frame lists, idempotent creation, listing and quotes. */
@QuarkusTest
@WithTestResource(FarmServices.class)
class JobApiTest {
    @Inject
    KafkaClients kafka;

    static String uploadScene(String account) {
        return as(account).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "triangle.gltf")
                .post("/api/v1/scenes").then().extract().path("digest");
    }

    static String account(String name) {
        return "artist:" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aFrameListPlansAndPublishesOnlyThoseFrames() {
        String account = account("frames");
        String digest = uploadScene(account);
        JsonPath created = as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 1, "tileSize", 8, "frames", "3,7,9-12x2"))
                .post("/api/v1/jobs")
                .then().statusCode(201)
                .body("frameList", equalTo("3,7,9,11"))
                .body("frameCount", equalTo(4))
                .body("frameStart", equalTo(3))
                .body("frameEnd", equalTo(11))
                .body("frames.frame", contains(3, 7, 9, 11))
                .body("frames[0].tiles", equalTo("qq"))
                .body("tiles.total", equalTo(8))
                .extract().jsonPath();
        String job = created.getString("id");

        Set<Integer> published = new TreeSet<>();
        for (TileTicket t : standardTasksOf(job, 8).values()) {
            published.add(t.frame());
        }
        assertThat(published).containsExactly(3, 7, 9, 11);
        as(account).get("/api/v1/jobs/" + job + "/frames/8.png").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/unknown-frame"))
                .body("detail", containsString("3,7,9,11"));
    }

    @Test
    void aClampOfIndirectLightIsShownOnTheJobAndTravelsSignedInEveryTask() {
        String account = account("clamp");
        String digest = uploadScene(account);
        String job = as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 1, "tileSize", 8, "clampIndirect", 2.5))
                .post("/api/v1/jobs").then().statusCode(201).body("clampIndirect", equalTo(2.5f)).extract().path("id");
        as(account).get("/api/v1/jobs/" + job).then().statusCode(200).body("clampIndirect", equalTo(2.5f));
        Map<String, TileTicket> seen = standardTasksOf(job, 2);
        assertThat(seen.values()).allSatisfy(t -> assertThat(TestWorkers.task("gpu-clamp", t).clampIndirect()).isEqualTo(2.5f));
        // without a clamp the field stays 0, and a negative clamp is refused with a reason
        as(account).contentType("application/json").body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 1))
                .post("/api/v1/jobs").then().statusCode(201).body("clampIndirect", equalTo(0.0f));
        as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 1, "clampIndirect", -1))
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body(containsString("clampIndirect must be 0 (off) or a positive finite number"));
    }

    @Test
    void badFrameListsAreProblemsNamingTheField() {
        String account = account("framelists");
        String digest = uploadScene(account);
        as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 1, "frames", "1-3,x"))
                .post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/invalid-job"))
                .body("errors[0]", containsString("\"x\""));
        as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 1, "frames", "0-20000"))
                .post("/api/v1/jobs")
                .then().statusCode(400).body("errors[0]", containsString("more than 10000 frames"));
    }

    @Test
    void anIdempotencyKeyCreatesOneJobAndAReusedKeyWithAnotherBodyIsAConflict() {
        String account = account("studio");
        String digest = uploadScene(account);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 1, "tileSize", 8, "seed", 3);
        String first = given().contentType("application/json").auth().oauth2(token(account)).header("Idempotency-Key", key)
                .body(body).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        given().contentType("application/json").auth().oauth2(token(account)).header("Idempotency-Key", key)
                .body(body).post("/api/v1/jobs").then().statusCode(200).body("id", equalTo(first));
        given().contentType("application/json").auth().oauth2(token(account)).header("Idempotency-Key", key)
                .body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 1, "tileSize", 8, "seed", 3))
                .post("/api/v1/jobs").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/idempotency-key-reused"))
                .body("detail", containsString(first));
        // the key belongs to the account: another account's same key makes its own job
        String otherAccount = account("other");
        uploadScene(otherAccount);
        String other = given().contentType("application/json").auth().oauth2(token(otherAccount)).header("Idempotency-Key", key)
                .body(body).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        assertThat(other).isNotEqualTo(first);
        as(account).contentType("application/json").header("Idempotency-Key", "has space").body(body).post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("Idempotency-Key"));
        given().auth().oauth2(token(account)).get("/api/v1/jobs").then().statusCode(200).body("jobs", hasSize(1));
    }

    @Test
    void theJobsListPagesThroughAnAccountsJobsNewestFirst() {
        String account = account("lister");
        String digest = uploadScene(account);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(0, given().contentType("application/json").auth().oauth2(token(account))
                    .body(Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 1, "tileSize", 8, "frames", "1-2"))
                    .post("/api/v1/jobs").then().statusCode(201).extract().path("id"));
        }
        List<String> listed = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().auth().oauth2(token(account)).queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/jobs").then().statusCode(200).extract().jsonPath();
            listed.addAll(page.getList("jobs.id"));
            assertThat(page.getList("jobs")).hasSizeLessThanOrEqualTo(2);
            assertThat(page.getString("jobs[0].state")).isEqualTo("RUNNING");
            assertThat(page.getInt("jobs[0].frameCount")).isEqualTo(2);
            assertThat(page.getFloat("jobs[0].progress")).isZero();
            assertThat(page.getLong("jobs[0].quote")).isPositive();
            assertThat(page.getLong("jobs[0].cost")).isZero();
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(listed).isEqualTo(ids);
        assertThat(pages).isEqualTo(3);
        given().auth().oauth2(token(account)).queryParam("limit", 0).get("/api/v1/jobs").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("limit"));
        given().auth().oauth2(token(account)).queryParam("cursor", "not-a-cursor").get("/api/v1/jobs").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("cursor"));
    }

    @Test
    void aQuotePricesTheJobWithARangeAndCreatesNothing() {
        String account = account("quoter");
        String digest = uploadScene(account);
        Map<String, Object> body = Map.of("sceneDigest", digest, "width", 16, "height", 16, "spp", 4, "tileSize", 8,
                "frames", "1-10x3", "tier", "economy");
        JsonPath quote = given().contentType("application/json").auth().oauth2(token(account)).body(body)
                .post("/api/v1/quotes").then().statusCode(200)
                .body("frameList", equalTo("1,4,7,10"))
                .body("tiles", equalTo(16))
                .body("tier", equalTo("economy"))
                .body("affordable", equalTo(true))
                .extract().jsonPath();
        long estimate = quote.getLong("estimate");
        assertThat(estimate).isEqualTo(4L * 16 * 16 * 4); // economy: 1000 micro-tokens per kilo-sample
        assertThat(quote.getLong("low")).isEqualTo(estimate * 85 / 100);
        assertThat(quote.getLong("high")).isEqualTo((estimate * 115 + 99) / 100);
        given().auth().oauth2(token(account)).get("/api/v1/jobs").then().body("jobs", hasSize(0));
        as(account).get("/api/v1/accounts/" + account).then().statusCode(200).body("balance", equalTo(1_000_000_000_000L));

        long escrowed = given().contentType("application/json").auth().oauth2(token(account)).body(body)
                .post("/api/v1/jobs").then().statusCode(201).extract().jsonPath().getLong("ledger.escrowed");
        assertThat(escrowed).isEqualTo(quote.getLong("escrow"));

        as(account).contentType("application/json").body(Map.of("sceneDigest", digest, "width", 0, "height", 8, "spp", 1))
                .post("/api/v1/quotes").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/invalid-job"));
        String whale = account("whale");
        uploadScene(whale);
        given().contentType("application/json").auth().oauth2(token(whale))
                .body(Map.of("sceneDigest", digest, "width", 16384, "height", 16384, "spp", 65536, "tileSize", 1024))
                .post("/api/v1/quotes").then().statusCode(200).body("affordable", equalTo(false));
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties p = kafka.base("test-consumer");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The job's tickets on the standard tier's topic, by task id, once at least {@code count} are published (60 s at most). */
    private Map<String, TileTicket> standardTasksOf(String job, int count) {
        Map<String, TileTicket> seen = new HashMap<>();
        try (KafkaConsumer<String, byte[]> tasks = consumer()) {
            tasks.subscribe(List.of("render.tasks.standard"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < count) {
                assertThat(System.nanoTime()).as("tasks so far: %s", seen.keySet()).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : tasks.poll(Duration.ofMillis(500))) {
                    TileTicket t = WireJson.decode(r.value(), TileTicket.class);
                    if (t.jobId().equals(job)) {
                        seen.put(t.taskId(), t);
                    }
                }
            }
        }
        return seen;
    }
}
