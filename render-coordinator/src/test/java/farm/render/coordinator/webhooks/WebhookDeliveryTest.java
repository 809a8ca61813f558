package farm.render.coordinator.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.image.TileImage;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileTicket;
import farm.render.coordinator.testing.TestWorkers;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static farm.render.coordinator.testing.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Completion webhooks against a real HTTP server in this test that checks each delivery's signature the
 * way a receiver would: with the account's secret, the timestamp header and the exact body bytes.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
@TestProfile(WebhookDeliveryTest.LocalReceiver.class)
class WebhookDeliveryTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The receiver runs on loopback, and retries come quickly. */
    public static class LocalReceiver implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("farm.webhooks.allow-private-addresses", "true", "farm.webhooks.first-retry", "PT0.2S",
                    "farm.webhooks.poll", "PT0.2S");
        }
    }

    /** One request the receiver got: its headers of interest and its body. */
    record Received(String signature, String timestamp, String event, String delivery, byte[] body) {
    }

    @Inject
    KafkaClients kafka;

    @Test
    void aFinishedJobPostsASignedEventRetriedUntilTheReceiverTakesIt() throws Exception {
        String account = "artist:hooked-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = as(account).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "t.gltf")
                .post("/api/v1/scenes").then().extract().path("digest");
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger refuseFirst = new AtomicInteger(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            received.add(new Received(exchange.getRequestHeaders().getFirst("X-Farm-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Farm-Timestamp"), exchange.getRequestHeaders().getFirst("X-Farm-Event"),
                    exchange.getRequestHeaders().getFirst("X-Farm-Delivery"), exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(refuseFirst.getAndDecrement() > 0 ? 503 : 204, -1);
            exchange.close();
        });
        server.start();
        try {
            String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            Map<String, Object> job = new HashMap<>(Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 1, "tileSize", 8,
                    "webhookUrl", hook));

            // without a secret to sign with, the webhook is refused; so is a URL that is not http(s)
            as(account).contentType("application/json").body(job).post("/api/v1/jobs").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0]", containsString("webhook secret"));
            as(account).get("/api/v1/webhook-secret").then().statusCode(200).body("exists", equalTo(false));
            String secret = as(account).post("/api/v1/webhook-secret").then().statusCode(201)
                    .body("secret", startsWith("whsec_")).extract().path("secret");
            as(account).get("/api/v1/webhook-secret").then().statusCode(200).body("exists", equalTo(true))
                    .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("secret")));
            Map<String, Object> ftp = new HashMap<>(job);
            ftp.put("webhookUrl", "ftp://127.0.0.1/hook");
            as(account).contentType("application/json").body(ftp).post("/api/v1/jobs").then().statusCode(400)
                    .body("errors[0]", containsString("http or https"));

            // a job that completes: the first delivery is refused (503), the retry is taken
            String completed = as(account).contentType("application/json").body(job).post("/api/v1/jobs").then().statusCode(201)
                    .body("webhookUrl", equalTo(hook)).extract().path("id");
            renderEveryTile(completed, 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.stream().filter(r -> completed.equals(r.delivery())).count() >= 2);
            List<Received> deliveries = received.stream().filter(r -> completed.equals(r.delivery())).toList();
            for (Received r : deliveries) {
                assertThat(r.signature()).as("the signature checks out with the account's secret").isEqualTo(sign(secret, r.timestamp(), r.body()));
                assertThat(Long.parseLong(r.timestamp())).as("a fresh timestamp").isCloseTo(System.currentTimeMillis() / 1000,
                        org.assertj.core.data.Offset.offset(300L));
                assertThat(r.event()).isEqualTo("job.completed");
            }
            JsonNode event = JSON.readTree(deliveries.get(1).body());
            assertThat(event.path("type").asText()).isEqualTo("job.completed");
            assertThat(event.path("jobId").asText()).isEqualTo(completed);
            assertThat(event.path("framesDone").asInt()).isEqualTo(1);
            assertThat(event.path("paid").asLong()).isPositive();
            // a replayed body under another timestamp does not verify
            assertThat(sign(secret, String.valueOf(Long.parseLong(deliveries.get(1).timestamp()) + 600), deliveries.get(1).body()))
                    .isNotEqualTo(deliveries.get(1).signature());

            // a cancelled job: delivered once, first time
            String cancelled = as(account).contentType("application/json").body(job).post("/api/v1/jobs").then().statusCode(201)
                    .extract().path("id");
            as(account).post("/api/v1/jobs/" + cancelled + "/cancel").then().statusCode(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.stream().anyMatch(r -> cancelled.equals(r.delivery())));
            Received c = received.stream().filter(r -> cancelled.equals(r.delivery())).findFirst().orElseThrow();
            assertThat(c.signature()).isEqualTo(sign(secret, c.timestamp(), c.body()));
            assertThat(JSON.readTree(c.body()).path("type").asText()).isEqualTo("job.cancelled");
            assertThat(received.stream().filter(r -> completed.equals(r.delivery())).count()).as("no delivery after it was taken").isEqualTo(2);
        } finally {
            server.stop(0);
        }
    }

    /** A receiver's check: HMAC-SHA256 of "timestamp.body" under the secret, as the header spells it. */
    private static String sign(String secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** Plays worker and verifier for every tile of the job: takes its tasks, uploads each tile, publishes pass verdicts. */
    private void renderEveryTile(String job, int tiles) throws Exception {
        Properties p = kafka.base("test-consumer");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<TileTask> tasks = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> verdicts = new KafkaProducer<>(kafka.base("test-producer"), new StringSerializer(),
                     new ByteArraySerializer())) {
            consumer.subscribe(List.of("render.tasks.standard"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TileTicket t = WireJson.decode(r.value(), TileTicket.class);
                    if (t.jobId().equals(job)) {
                        tasks.add(TestWorkers.task("gpu-hook", t));
                    }
                }
                return tasks.size() >= tiles;
            });
            for (TileTask t : tasks) {
                float[] rgb = new float[t.rect().width() * t.rect().height() * 3];
                Arrays.fill(rgb, 0.5f);
                byte[] bytes = new TileImage(t.rect().width(), t.rect().height(), rgb).encode();
                HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(t.tileUploadUrl())).PUT(
                        HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).isEqualTo(200);
                TileVerdict v = TestWorkers.verdict(t, "gpu-hook", true, bytes);
                verdicts.send(new ProducerRecord<>(Topics.VERDICTS, v.taskId(), WireJson.encode(v))).get();
            }
        }
    }
}
