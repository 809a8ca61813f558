package farm.render.coordinator.workers;

import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.dispatch.WorkerLogins;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.core.identity.Ed25519;
import farm.render.core.wire.KafkaLogin;
import farm.render.core.wire.Tier;
import farm.render.core.wire.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static farm.render.coordinator.testing.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/**
 * The broker authenticates every client and a worker's own login (handed out at registration) lets
 * it take tasks and publish results, nothing else; on the real Kafka 4.4 broker.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class WorkerKafkaAccessTest {
    private static final String GPU_OWNER = TestAccounts.fresh("kafka-owner");

    @Inject
    KafkaClients kafka;

    private KafkaLogin registerWorker() {
        String worker = "kafka-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath body = as(GPU_OWNER).contentType("application/json")
                .body(Map.of("workerId", worker, "publicKey", Ed25519.encodePublic(Ed25519.generate().getPublic())))
                .post("/api/v1/workers").then().statusCode(201).extract().jsonPath();
        assertThat(body.getString("kafka.securityProtocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(body.getString("kafka.saslMechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(body.getString("kafka.bootstrapServers")).isEqualTo(kafka.bootstrapServers());
        assertThat(body.getString("kafka.username")).isEqualTo("worker-" + worker);
        return new KafkaLogin(body.getString("kafka.username"), body.getString("kafka.password"));
    }

    private Map<String, Object> client(Optional<KafkaLogin> login, Map<String, Object> settings) {
        Map<String, Object> p = new HashMap<>(settings);
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("client.id", "access-test-" + UUID.randomUUID());
        return KafkaLogin.with(login, p);
    }

    private KafkaProducer<String, String> producer(Optional<KafkaLogin> login) {
        return new KafkaProducer<>(client(login, Map.of("acks", "all", "max.block.ms", 5000,
                "request.timeout.ms", 5000, "delivery.timeout.ms", 10000)), new StringSerializer(), new StringSerializer());
    }

    private KafkaShareConsumer<String, String> taker(Optional<KafkaLogin> login) {
        return new KafkaShareConsumer<>(client(login, Map.of("group.id", Topics.WORKER_SHARE_GROUP,
                "share.acknowledgement.mode", "explicit")), new StringDeserializer(), new StringDeserializer());
    }

    private Optional<KafkaLogin> service() {
        return kafka.login();
    }

    @Test
    void aWorkersLoginTakesTasksAndPublishesResultsOnly() throws Exception {
        KafkaLogin worker = registerWorker();
        String marker = "task-" + UUID.randomUUID();
        try (KafkaProducer<String, String> coordinator = producer(service())) {
            coordinator.send(new ProducerRecord<>(Tier.ECONOMY.topic(), marker, marker)).get();
        }
        // it takes tasks through the worker share group
        try (KafkaShareConsumer<String, String> tasks = taker(Optional.of(worker))) {
            tasks.subscribe(List.of(Tier.ECONOMY.topic()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                boolean seen = false;
                for (ConsumerRecord<String, String> r : tasks.poll(Duration.ofMillis(500))) {
                    seen |= marker.equals(r.key());
                    tasks.acknowledge(r, marker.equals(r.key()) ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
                }
                return seen;
            });
        }
        try (KafkaProducer<String, String> p = producer(Optional.of(worker))) {
            // it publishes results
            assertThat(p.send(new ProducerRecord<>(Topics.RESULTS, "job", "result")).get().topic()).isEqualTo(Topics.RESULTS);
            // it cannot write tasks (a worker must not dispatch work to others)
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(Tier.PRIORITY.topic(), "job", "forged task")).get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
            // nor invent topics
            assertThatThrownBy(() -> p.send(new ProducerRecord<>("render.anything", "job", "x")).get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AuthorizationException.class);
        }
        // it cannot read verdicts or other workers' results
        for (String topic : List.of(Topics.VERDICTS, Topics.RESULTS)) {
            try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(client(Optional.of(worker), Map.of(
                    "group.id", Topics.VERIFIER_GROUP, "auto.offset.reset", "earliest")), new StringDeserializer(), new StringDeserializer())) {
                reader.subscribe(List.of(topic));
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 60; i++) {
                        reader.poll(Duration.ofMillis(500));
                    }
                }).as("reading %s", topic).isInstanceOf(AuthorizationException.class);
            }
        }
    }

    @Test
    void aClientWithoutALoginCannotTakeTasksOrPublishResults() {
        try (KafkaProducer<String, String> anonymous = producer(Optional.empty())) {
            assertThatThrownBy(() -> anonymous.send(new ProducerRecord<>(Topics.RESULTS, "job", "forged result")).get())
                    .isInstanceOf(ExecutionException.class); // the SASL listener never answers a plaintext client
        }
        try (KafkaShareConsumer<String, String> anonymous = taker(Optional.empty())) {
            anonymous.subscribe(List.of(Tier.ECONOMY.topic(), Tier.STANDARD.topic(), Tier.PRIORITY.topic()));
            for (int i = 0; i < 6; i++) {
                assertThat(anonymous.poll(Duration.ofMillis(500))).isEmpty();
            }
        }
        KafkaLogin wrong = new KafkaLogin(registerWorker().username(), "not-the-password");
        try (KafkaProducer<String, String> guesser = producer(Optional.of(wrong))) {
            assertThatThrownBy(() -> guesser.send(new ProducerRecord<>(Topics.RESULTS, "job", "forged result")).get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void registeringAgainRotatesTheWorkersPassword() throws Exception {
        String worker = "rotating-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> body = Map.of("workerId", worker, "publicKey", Ed25519.encodePublic(Ed25519.generate().getPublic()));
        String first = as(GPU_OWNER).contentType("application/json").body(body).post("/api/v1/workers").then().statusCode(201)
                .extract().path("kafka.password");
        String second = as(GPU_OWNER).contentType("application/json").body(body).post("/api/v1/workers").then().statusCode(200)
                .extract().path("kafka.password");
        assertThat(second).isNotEqualTo(first);
        try (KafkaProducer<String, String> old = producer(Optional.of(new KafkaLogin(WorkerLogins.userOf(worker), first)))) {
            assertThatThrownBy(() -> old.send(new ProducerRecord<>(Topics.RESULTS, "job", "x")).get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (KafkaProducer<String, String> current = producer(Optional.of(new KafkaLogin(WorkerLogins.userOf(worker), second)))) {
            assertThat(current.send(new ProducerRecord<>(Topics.RESULTS, "job", "x")).get().topic()).isEqualTo(Topics.RESULTS);
        }
        // the worker's standing (GET) never shows a password
        as(GPU_OWNER).get("/api/v1/workers/" + worker).then().statusCode(200).body(not(containsString(second)));
    }
}
