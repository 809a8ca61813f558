package farm.render.coordinator.api;

import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.WireJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The job API beyond the happy path of one frame: frame lists, idempotent creation, listing and quotes. */
@QuarkusTest
@WithTestResource(FarmServices.class)
class JobApiTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static String uploadScene() {
        return given().contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "triangle.gltf")
                .post("/api/v1/scenes").then().extract().path("digest");
    }

    static String account(String name) {
        return "artist:" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aFrameListPlansAndPublishesOnlyThoseFrames() {
        String digest = uploadScene();
        JsonPath created = given().contentType("application/json").header("X-Account", account("frames"))
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
        Map<String, TileTask> seen = new HashMap<>();
        try (KafkaConsumer<String, byte[]> tasks = consumer()) {
            tasks.subscribe(List.of("render.tasks.standard"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < 8) {
                assertThat(System.nanoTime()).as("tasks so far: %s", seen.keySet()).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : tasks.poll(Duration.ofMillis(500))) {
                    TileTask t = WireJson.decode(r.value(), TileTask.class);
                    if (t.jobId().equals(job)) {
                        seen.put(t.taskId(), t);
                        published.add(t.frame());
                    }
                }
            }
        }
        assertThat(published).containsExactly(3, 7, 9, 11);
        given().get("/api/v1/jobs/" + job + "/frames/8.png").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/unknown-frame"))
                .body("detail", containsString("3,7,9,11"));
    }

    @Test
    void badFrameListsAreProblemsNamingTheField() {
        String digest = uploadScene();
        given().contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 1, "frames", "1-3,x"))
                .post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/invalid-job"))
                .body("errors[0]", containsString("\"x\""));
        given().contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 1, "frames", "0-20000"))
                .post("/api/v1/jobs")
                .then().statusCode(400).body("errors[0]", containsString("more than 10000 frames"));
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
