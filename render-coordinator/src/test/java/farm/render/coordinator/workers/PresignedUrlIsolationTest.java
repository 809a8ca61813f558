package farm.render.coordinator.workers;

import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.wire.Tier;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileTicket;
import farm.render.coordinator.testing.TestWorkers;
import farm.render.core.wire.WireJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static farm.render.coordinator.testing.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's presigned URLs name only its claimed task's objects: on the real S3Proxy, changing the object
 * key, the bucket or the method of a URL is refused (403), and job A's URLs cannot reach job B's objects.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class PresignedUrlIsolationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    KafkaClients kafka;

    /** The account uploads the scene (a job may use only a scene its account uploaded) and submits a job. */
    private static String submit(String digest, String account) {
        as(account).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "t.gltf")
                .post("/api/v1/scenes").then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.equalTo(200),
                        org.hamcrest.Matchers.equalTo(201)));
        return as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 1, "tileSize", 8))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
    }

    /** The same signed query on another path: what a worker gets by editing the key or bucket of its URL. */
    private static String withPath(String url, String path) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getRawAuthority() + path + "?" + u.getRawQuery();
    }

    private static int get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int put(String url, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aTasksUrlsReachOnlyItsOwnObjects() throws Exception {
        String digest = farm.render.core.digest.Digests.sha256Hex(TinyScenes.gltf()); // each account uploads it in submit
        String jobA = submit(digest, "artist:a-" + UUID.randomUUID().toString().substring(0, 8));
        String jobB = submit(digest, "artist:b-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, TileTicket> byJob = new HashMap<>();
        Properties p = kafka.base("isolation-test");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "isolation-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> tasks = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            tasks.subscribe(Arrays.stream(Tier.values()).map(Tier::topic).toList());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(byJob.containsKey(jobA) && byJob.containsKey(jobB))) {
                assertThat(System.nanoTime()).as("tasks of both jobs published").isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : tasks.poll(Duration.ofMillis(500))) {
                    TileTicket t = WireJson.decode(r.value(), TileTicket.class);
                    if (t.jobId().equals(jobA) || t.jobId().equals(jobB)) {
                        byJob.putIfAbsent(t.jobId(), t);
                    }
                }
            }
        }
        TileTask a = TestWorkers.task("gpu-iso-a", byJob.get(jobA));
        TileTask b = TestWorkers.task("gpu-iso-b", byJob.get(jobB));
        String tileOfB = URI.create(b.tileUploadUrl()).getRawPath();
        String sceneOfA = URI.create(a.sceneUrl()).getRawPath();
        byte[] tile = "tile bytes".getBytes();

        // the task's own objects: its scene can be read, its tile written
        assertThat(get(a.sceneUrl())).isEqualTo(200);
        assertThat(put(a.tileUploadUrl(), tile)).isEqualTo(200);
        // job A's URLs with job B's tile key: neither written nor read
        assertThat(put(withPath(a.tileUploadUrl(), tileOfB), tile)).isEqualTo(403);
        assertThat(get(withPath(a.sceneUrl(), tileOfB))).isEqualTo(403);
        assertThat(get(withPath(a.tileDownloadUrl(), tileOfB))).isEqualTo(403);
        assertThat(get(b.tileDownloadUrl())).as("B's tile was never written").isEqualTo(404);
        // another bucket, the same key
        String otherBucket = sceneOfA.replaceFirst("^/[^/]+/", "/another-bucket/");
        assertThat(otherBucket).isNotEqualTo(sceneOfA);
        assertThat(get(withPath(a.sceneUrl(), otherBucket))).isEqualTo(403);
        // a tile upload URL cannot overwrite the scene, nor be used to read
        assertThat(put(withPath(a.tileUploadUrl(), sceneOfA), tile)).isEqualTo(403);
        assertThat(get(a.tileUploadUrl())).isEqualTo(403);
        assertThat(get(a.sceneUrl())).as("the scene is unchanged and readable").isEqualTo(200);
    }
}
