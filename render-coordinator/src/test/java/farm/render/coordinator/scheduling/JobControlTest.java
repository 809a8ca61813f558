package farm.render.coordinator.scheduling;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.image.TileImage;
import farm.render.core.wire.TileTicket;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static farm.render.coordinator.testing.TestAccounts.as;
import static farm.render.coordinator.testing.TestAccounts.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Pause, resume, priority and fair share between accounts through the real broker, with the test playing worker
 * and verifier, and a dispatch window of 2 tiles per job and 3 per tier so that what the window holds back is visible.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
@TestProfile(JobControlTest.SmallWindow.class)
class JobControlTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Jobs here use the priority tier, which no other coordinator test leaves work on. */
    private static final String TIER = "priority";

    /** A window small enough to fill with a few 8×8 tiles. */
    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("farm.dispatch.window-per-job", "2", "farm.dispatch.window-per-tier", "3",
                    "farm.dispatch.window-poll", "PT0.2S");
        }
    }

    @Inject
    KafkaClients kafka;

    @Inject
    ObjectStorage storage;

    @Inject
    Transactions tx;

    @Test
    void aPausedJobGetsNoNewTilesUntilResumedAndEveryTileIsPaidOnce() throws Exception {
        String account = "artist:pauser-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = uploadScene(account);
        try (Tasks tasks = new Tasks(); KafkaProducer<String, byte[]> verdicts = producer()) {
            String a = submit(account, digest, 32, Map.of());
            List<TileTicket> firstTwo = tasks.awaitFor(a, 2);
            as(account).post("/api/v1/jobs/" + a + "/pause").then().statusCode(200)
                    .body("state", equalTo("PAUSED")).body("priority", equalTo(50));
            // the page's event stream says so too
            assertThat(firstEvent(account, a)).contains("\"state\":\"PAUSED\"");

            // the two tiles already out finish and are paid; the job stays paused with its escrow held
            for (TileTicket t : firstTwo) {
                pass(verdicts, t);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> as(account).get("/api/v1/jobs/" + a).then().extract()
                    .jsonPath().getInt("tiles.verified") == 2);
            // a job submitted after the pause is dispatched while the paused one, older, is not
            String b = submit(account, digest, 8, Map.of());
            tasks.awaitFor(b, 1);
            tasks.drain();
            assertThat(tasks.of(a)).as("tasks of the paused job").hasSize(2);
            JsonPath paused = as(account).get("/api/v1/jobs/" + a).then().statusCode(200).extract().jsonPath();
            assertThat(paused.getString("state")).isEqualTo("PAUSED");
            assertThat(paused.getLong("ledger.held")).isPositive();
            as(account).get("/api/v1/jobs").then().statusCode(200).body("jobs.find { it.id == '" + a + "' }.state", equalTo("PAUSED"));

            as(account).post("/api/v1/jobs/" + a + "/resume").then().statusCode(200).body("state", equalTo("RUNNING"));
            List<TileTicket> rest = tasks.awaitFor(a, 4).subList(2, 4);
            for (TileTicket t : rest) {
                pass(verdicts, t);
            }
            JsonPath done = awaitState(account, a, "COMPLETED");
            assertThat(done.getInt("tiles.verified")).isEqualTo(4);
            assertThat(done.getLong("ledger.held")).isZero();
            tasks.drain();
            assertThat(tasks.of(a).stream().map(TileTicket::taskId).distinct()).as("one task per tile").hasSize(4);
            assertThat(as(account).get("/api/v1/jobs/" + a + "/payments").then().statusCode(200).extract().jsonPath()
                    .getList("tile")).as("each tile paid once").hasSize(4).doesNotHaveDuplicates();

            // a finished job can no longer be paused or resumed
            as(account).post("/api/v1/jobs/" + a + "/pause").then().statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("https://render.farm/problems/job-finished"));
            as(account).post("/api/v1/jobs/" + b + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void aRaisedPriorityTakesTheNextFreeSlotAheadOfOlderJobs() throws Exception {
        String account = "artist:prioritizer-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = uploadScene(account);
        try (Tasks tasks = new Tasks(); KafkaProducer<String, byte[]> verdicts = producer()) {
            String x = submit(account, digest, 32, Map.of());
            List<TileTicket> xOut = tasks.awaitFor(x, 2);
            String y = submit(account, digest, 32, Map.of());
            tasks.awaitFor(y, 1); // the tier's third and last slot
            String z = submit(account, digest, 32, Map.of());
            as(account).contentType("application/json").body(Map.of("priority", 101)).put("/api/v1/jobs/" + z + "/priority")
                    .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("priority"))
                    .body("detail", containsString("between 0 and 100"));
            as(account).contentType("application/json").body(Map.of("priority", 90)).put("/api/v1/jobs/" + z + "/priority")
                    .then().statusCode(200).body("priority", equalTo(90));
            tasks.drain();
            assertThat(tasks.of(z)).as("the tier's window is full").isEmpty();

            // one of x's tiles is verified: the slot it frees goes to z, the highest priority, not to the older x or y
            pass(verdicts, xOut.get(0));
            tasks.awaitFor(z, 1);
            tasks.drain();
            assertThat(tasks.of(x)).hasSize(2);
            assertThat(tasks.of(y)).hasSize(1);
            assertThat(tasks.of(z)).hasSize(1);
            for (String job : List.of(x, y, z)) {
                as(account).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200);
            }
        }
    }

    @Test
    void twoAccountsShareTheTierFromTheStartWhateverTheirPriorities() throws Exception {
        String busy = "artist:busy-" + UUID.randomUUID().toString().substring(0, 8);
        String small = "artist:small-" + UUID.randomUUID().toString().substring(0, 8);
        try (Tasks tasks = new Tasks(); KafkaProducer<String, byte[]> verdicts = producer()) {
            Contest contest = contest(tasks, busy, small);
            // equal weights give one account 2 of the tier's 3 places and the other 1: the higher priorities do not take all 3
            assertThat(tasks.of(contest.smallJob())).as("the lower-priority account's tiles among the first three").hasSize(1);
            assertThat(contest.busyOut()).as("the busy account's").hasSize(2);

            // the place the small account's tile frees goes back to it, though the busy account has 38 tiles waiting at 100
            pass(verdicts, tasks.of(contest.smallJob()).get(0));
            tasks.awaitFor(contest.smallJob(), 2);
            tasks.drain();
            assertThat(tasks.seen).hasSize(4);
            contest.cancel();
        }
    }

    @Test
    void anOperatorsWeightSetsTheAccountsShare() throws Exception {
        String busy = "artist:busy-" + UUID.randomUUID().toString().substring(0, 8);
        String small = "artist:small-" + UUID.randomUUID().toString().substring(0, 8);
        uploadScene(small); // the account exists from its first call
        String share = "/api/v1/accounts/" + small + "/share";
        as(small).contentType("application/json").body(Map.of("weight", 2)).put(share).then().statusCode(403)
                .body("type", equalTo("https://render.farm/problems/operator-only"));
        asOperator().contentType("application/json").body(Map.of("weight", 0)).put(share).then().statusCode(400)
                .body("field", equalTo("weight")).body("detail", containsString("between 1 and 1000"));
        asOperator().contentType("application/json").body(Map.of("weight", 2)).put("/api/v1/accounts/artist:nobody-" + UUID.randomUUID()
                + "/share").then().statusCode(404).body("type", equalTo("https://render.farm/problems/unknown-account"));
        asOperator().contentType("application/json").body(Map.of("weight", 2)).put(share).then().statusCode(200)
                .body("account", equalTo(small)).body("weight", equalTo(2));
        try (Tasks tasks = new Tasks()) {
            Contest contest = contest(tasks, busy, small);
            // weights 1 and 2 over 3 places: 1 and 2
            assertThat(tasks.of(contest.smallJob())).as("the account of weight 2").hasSize(2);
            assertThat(contest.busyOut()).as("the account of weight 1").hasSize(1);
            contest.cancel();
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Ten jobs of one account at priority 100 and one of another at 50, and what the tier's first 3 places went to. */
    private record Contest(String busy, List<String> busyJobs, String small, String smallJob, List<TileTicket> busyOut) {
        void cancel() {
            for (String job : busyJobs) {
                as(busy).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200);
            }
            as(small).post("/api/v1/jobs/" + smallJob + "/cancel").then().statusCode(200);
        }
    }

    private Contest contest(Tasks tasks, String busy, String small) {
        String busyScene = uploadScene(busy);
        String smallScene = uploadScene(small);
        // every job is queued before the dispatcher's first pass over them: it waits on the lock held here
        List<String> busyJobs = new ArrayList<>();
        String smallJob = tx.inTransaction(c -> {
            DispatchStore.lock(c);
            busyJobs.clear(); // a retried transaction submits again
            for (int i = 0; i < 10; i++) {
                busyJobs.add(submit(busy, busyScene, 32, Map.of("priority", 100)));
            }
            return submit(small, smallScene, 64, Map.of("priority", 50));
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            tasks.poll();
            return tasks.seen.size() >= 3;
        });
        tasks.drain();
        assertThat(tasks.seen).as("the tier's window").hasSize(3);
        return new Contest(busy, List.copyOf(busyJobs), small, smallJob,
                tasks.seen.stream().filter(t -> busyJobs.contains(t.jobId())).toList());
    }

    private String uploadScene(String account) {
        return as(account).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "triangle.gltf")
                .post("/api/v1/scenes").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201)).extract().path("digest");
    }

    /** A job of width/8 tiles of 8×8 on the priority tier. */
    private static String submit(String account, String digest, int width, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("sceneDigest", digest, "width", width, "height", 8, "spp", 1,
                "tileSize", 8, "tier", TIER));
        body.putAll(extra);
        return as(account).contentType("application/json").body(body).post("/api/v1/jobs").then().statusCode(201)
                .extract().path("id");
    }

    /** The first server-sent event of a job's stream. */
    private static String firstEvent(String account, String job) throws Exception {
        String token = farm.render.coordinator.testing.TestAccounts.token(account);
        HttpRequest request = HttpRequest.newBuilder(URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                + "/api/v1/jobs/" + job + "/events")).header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    return line;
                }
            }
        }
        throw new AssertionError("the event stream of job " + job + " ended without an event");
    }

    /**
     * Plays worker and verifier for one ticket: stores its tile under the key of the worker the verdict names and
     * publishes a pass verdict (this tier is for trusted workers, which a test cannot grow: it writes the tile itself).
     */
    private void pass(KafkaProducer<String, byte[]> verdicts, TileTicket t) throws Exception {
        float[] rgb = new float[t.rect().width() * t.rect().height() * 3];
        Arrays.fill(rgb, 0.5f);
        byte[] bytes = new TileImage(t.rect().width(), t.rect().height(), rgb).encode();
        storage.put(ObjectKeys.tile(t.jobId(), t.frame(), t.tile(), t.attempt(), "gpu-test"), bytes, "application/octet-stream");
        TileVerdict v = new TileVerdict(t.taskId(), t.jobId(), t.frame(), t.tile(), t.attempt(), "gpu-test", true, "", 16, 0,
                List.of(), true, farm.render.core.digest.Digests.sha256Hex(bytes));
        verdicts.send(new ProducerRecord<>(Topics.VERDICTS, v.taskId(), WireJson.encode(v))).get();
    }

    private static JsonPath awaitState(String account, String job, String state) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> as(account).get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath(),
                s -> state.equals(s.getString("state")));
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(kafka.base("test-producer"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Every ticket published on the tier's topic since this was opened, read in order. */
    private final class Tasks implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        final List<TileTicket> seen = new ArrayList<>();

        Tasks() {
            Properties p = kafka.base("test-consumer");
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor("render.tasks." + TIER).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // fixes the starting point before anything is submitted
        }

        List<TileTicket> of(String job) {
            return seen.stream().filter(t -> t.jobId().equals(job)).toList();
        }

        /** Reads until the job has at least {@code count} tasks; returns them in the order read. */
        List<TileTicket> awaitFor(String job, int count) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                poll();
                return of(job).size() >= count;
            });
            return of(job);
        }

        /** Reads everything published so far: afterwards, a task not seen was not published. */
        void drain() {
            Set<TopicPartition> partitions = consumer.assignment();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                poll();
                return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }

        void poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(WireJson.decode(r.value(), TileTicket.class));
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
