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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults against the real local stack, one multi-frame job each: workers killed with SIGKILL again
 * and again, the coordinator crashed and restarted, the Kafka broker restarted, object storage
 * stopped for 30 s. After each the job completes, no frame is missing, each tile is paid exactly
 * once and the escrow settles. Results go to target/chaos-results.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosTest {
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(8);
    static final int FRAMES = 3;

    LocalStack stack;
    FarmClient client;
    String scene;
    final List<String> results = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        FarmLayout layout = FarmLayout.locate();
        // Locks long enough to outlast a 30 s storage outage without exhausting the delivery limit.
        stack = LocalStack.start(layout, new LocalStack.Options(Files.createTempDirectory("farm-chaos"), 2, 12_000),
                System.out::println);
        client = new FarmClient(stack.coordinatorUrl(), stack.operatorToken());
        scene = client.uploadScene(layout.sample("cornell-box/cornell-box.gltf")).path("digest").asText();
    }

    @AfterAll
    void stop() throws IOException {
        if (stack != null) {
            stack.close();
        }
        Path report = Path.of("target/chaos-results.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, "| scenario | job time | redeliveries | tiles paid | escrow settled |\n"
                + "| --- | --- | --- | --- | --- |\n" + String.join("\n", results) + "\n");
        System.out.println(Files.readString(report));
    }

    private String submit() throws IOException {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("sceneDigest", scene);
        job.put("width", 64);
        job.put("height", 64);
        job.put("spp", 96);
        job.put("maxBounces", 4);
        job.put("tileSize", 32);
        job.put("frames", "0-" + (FRAMES - 1));
        return client.createJob(job).path("id").asText();
    }

    private void awaitVerifiedTiles(String jobId, int atLeast) {
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> client.job(jobId).path("tiles").path("verified").asInt() >= atLeast);
    }

    /** Waits for the end, checks every promise, and records the scenario's figures. */
    private void assertSettled(String scenario, String jobId, long startNanos) throws IOException {
        JsonNode done = await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.job(jobId), s -> !s.path("state").asText().equals("RUNNING"));
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        assertThat(done.path("state").asText()).as(scenario).isEqualTo("COMPLETED");
        for (int f = 0; f < FRAMES; f++) {
            assertThat(ImageIO.read(new ByteArrayInputStream(client.framePng(jobId, f))).getWidth()).isEqualTo(64);
        }
        int tiles = done.path("tiles").path("total").asInt();
        Set<String> paid = new HashSet<>();
        for (JsonNode p : client.payments(jobId)) {
            assertThat(paid.add(p.path("frame").asInt() + "/" + p.path("tile").asInt())).as("%s: paid twice %s", scenario, p).isTrue();
        }
        assertThat(paid).as(scenario).hasSize(tiles);
        JsonNode ledger = done.path("ledger");
        long settled = ledger.path("escrowed").asLong() - ledger.path("paid").asLong() - ledger.path("fees").asLong()
                - ledger.path("refunded").asLong();
        assertThat(settled).as("%s: escrow left after the job", scenario).isZero();
        results.add(String.format("| %s | %.1f s | %d | %d of %d | yes |", scenario, seconds, redeliveries(jobId), paid.size(), tiles));
    }

    /**
     * Tickets that came back, as the workers logged them for this job: rendered on a delivery after the first, or
     * refused at the claim because a worker that stopped answering still held the attempt (then published again).
     */
    private int redeliveries(String jobId) {
        Pattern delivery = Pattern.compile("rendering task " + Pattern.quote(jobId) + "\\S* \\(delivery (\\d+)\\)");
        Pattern held = Pattern.compile("ticket " + Pattern.quote(jobId) + "\\S* not ours: held-by-another-worker");
        int count = 0;
        for (ServiceProcess w : stack.workers()) {
            try {
                String log = Files.readString(w.log());
                Matcher m = delivery.matcher(log);
                while (m.find()) {
                    count += Integer.parseInt(m.group(1)) > 1 ? 1 : 0;
                }
                Matcher h = held.matcher(log);
                while (h.find()) {
                    count++;
                }
            } catch (IOException e) {
                // a killed worker's log is still there; an unreadable one counts nothing
            }
        }
        return count;
    }

    @Test
    @Order(1)
    void workersKilledAgainAndAgainMidJob() throws Exception {
        long t0 = System.nanoTime();
        String jobId = submit();
        Random random = new Random(11);
        for (int round = 0; round < 3; round++) {
            List<ServiceProcess> busy = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stack.workers().stream().filter(ServiceProcess::isAlive)
                            .filter(w -> w.logContains("rendering task " + jobId)).toList(), l -> !l.isEmpty());
            ServiceProcess victim = busy.get(random.nextInt(busy.size()));
            victim.kill();
            stack.startWorker();
        }
        assertSettled("3 workers killed with SIGKILL mid-tile", jobId, t0);
    }

    @Test
    @Order(2)
    void coordinatorCrashedAndRestartedMidJob() throws Exception {
        long t0 = System.nanoTime();
        String jobId = submit();
        awaitVerifiedTiles(jobId, 2);
        stack.restartCoordinator(0);
        assertSettled("coordinator killed and restarted", jobId, t0);
    }

    @Test
    @Order(3)
    void kafkaBrokerRestartedMidJob() throws Exception {
        long t0 = System.nanoTime();
        String jobId = submit();
        awaitVerifiedTiles(jobId, 2);
        stack.restartKafka();
        assertSettled("Kafka broker restarted", jobId, t0);
    }

    @Test
    @Order(4)
    void objectStorageStoppedForThirtySecondsMidJob() throws Exception {
        long t0 = System.nanoTime();
        String jobId = submit();
        awaitVerifiedTiles(jobId, 2);
        stack.stopObjectStore();
        Thread.sleep(30_000); // the length of the outage under test, not a wait for an event
        stack.resumeObjectStore();
        assertSettled("S3Proxy stopped for 30 s", jobId, t0);
    }
}
