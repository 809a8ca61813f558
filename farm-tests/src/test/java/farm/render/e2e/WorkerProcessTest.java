package farm.render.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.LocalStack;
import farm.render.stack.services.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real worker process on the local stack, as a GPU owner runs it: SIGTERM while it renders a tile
 * finishes and publishes that tile and exits 0; {@code --workers 2} works on tiles in two loops
 * under one identity; a worker whose {@code --vram-budget} is below a job's device memory need never
 * renders it, and the job's tiles stay out until a worker with enough renders them. The stack starts with no worker of its own, so the worker under test is the
 * only member of the share group and is assigned every task partition.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerProcessTest {
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(8);

    LocalStack stack;
    FarmClient client;
    String scene;

    @BeforeAll
    void start() throws IOException {
        OwnStack own = OwnStack.start("farm-worker-process");
        stack = own.stack();
        client = own.client();
        scene = own.scene();
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private String submit(int size, int spp, int tile, String tier) throws IOException {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("sceneDigest", scene);
        job.put("width", size);
        job.put("height", size);
        job.put("spp", spp);
        job.put("maxBounces", 4);
        job.put("tileSize", tile);
        job.put("tier", tier);
        return client.createJob(job).path("id").asText();
    }

    private void assertCompletedAndPaidOnce(String jobId) throws IOException {
        JsonNode done = await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.job(jobId), s -> !s.path("state").asText().equals("RUNNING"));
        assertThat(done.path("state").asText()).isEqualTo("COMPLETED");
        Set<String> paid = new HashSet<>();
        for (JsonNode p : client.payments(jobId)) {
            assertThat(paid.add(p.path("frame").asInt() + "/" + p.path("tile").asInt())).as("paid twice: %s", p).isTrue();
        }
        assertThat(paid).hasSize(done.path("tiles").path("total").asInt());
    }

    private static String log(ServiceProcess p) {
        try {
            return Files.readString(p.log());
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    @Order(1)
    void sigtermWhileRenderingFinishesAndPublishesTheTileThenExitsZero() throws Exception {
        ServiceProcess worker = stack.startWorker();
        String jobId = submit(128, 48, 64, "standard");
        Pattern rendering = Pattern.compile("rendering task (" + Pattern.quote(jobId) + "\\S*) \\(delivery");
        String task = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Matcher m = rendering.matcher(log(worker));
                    return m.find() ? m.group(1) : null;
                }, t -> t != null);
        worker.terminate();

        int exit = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(worker::exitCode, c -> c.isPresent()).getAsInt();
        String victimLog = log(worker);
        assertThat(exit).as("exit status after SIGTERM; log:%n%s", worker.tail(20)).isZero();
        assertThat(victimLog).as("the tile being rendered was finished and published before the exit")
                .contains("finished task " + task).contains("render-worker: stopped");
        assertThat(victimLog.indexOf("finished task " + task)).isLessThan(victimLog.indexOf("render-worker: stopped"));
        // the rest of the job goes to a worker started after the exit; the stopped worker's tile was
        // accepted before it left, so it is never handed out again
        ServiceProcess next = stack.startWorker();
        assertCompletedAndPaidOnce(jobId);
        assertThat(log(next)).as("the stopped worker's tile was rendered again").doesNotContain("rendering task " + task + " ");
        next.close();
    }

    @Test
    @Order(2)
    void twoLoopsInOneProcessBothCompleteTiles() throws Exception {
        ServiceProcess worker = stack.startWorker(List.of("--workers", "2"));
        assertThat(log(worker)).contains("with 2 tiles at once");
        // the broker splits the task partitions between the two loops (they are two share-group members):
        // a job on each tier, its tiles spread over the tier's partitions, reaches both whatever the split
        List<String> jobs = List.of(submit(64, 8, 16, "standard"), submit(64, 8, 16, "economy"));
        for (String jobId : jobs) {
            assertCompletedAndPaidOnce(jobId);
        }
        String text = log(worker);
        for (String loop : List.of("tile-work-1", "tile-work-2")) {
            assertThat(Pattern.compile("\\[" + loop + "] .*finished task ").matcher(text).find())
                    .as("loop %s completed a tile; log:%n%s", loop, worker.tail(40)).isTrue();
        }
        // the status line speaks for both loops (printed every 30 s)
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> log(worker).contains("render-worker: 2 loops ["));
        worker.terminate();
        int exit = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(worker::exitCode, c -> c.isPresent()).getAsInt();
        assertThat(exit).isZero();
    }

    @Test
    @Order(3)
    void aJobNeedingMoreDeviceMemoryThanAWorkersBudgetIsLeftToAWorkerWithEnough() throws Exception {
        // 64 KiB is below any scene's need, so every claim of this worker is refused for device memory
        ServiceProcess small = stack.startWorker(List.of("--vram-budget", "64K"));
        String jobId = submit(32, 4, 16, "standard");
        assertThat(client.job(jobId).path("deviceMemoryBytes").asLong()).isGreaterThan(64L << 10);
        Pattern refused = Pattern.compile("ticket " + Pattern.quote(jobId) + "\\S* left to a larger device: the job needs .* bytes\\) of"
                + " device memory per task; worker " + small.name() + " declared 0\\.1 MiB \\(65536 bytes\\)");
        // every tile comes back to it (it holds the tier's partitions alone) and is refused each time, never lost
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> refused.matcher(log(small)).results().count() >= 8);
        assertThat(client.job(jobId).path("tiles").path("verified").asInt()).isZero();
        // the broker gives a tier's partitions to one member while members are fewer than partitions, so the worker with
        // enough joins once the small one has left; the job's tiles are still out for it
        small.terminate();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(small::exitCode, c -> c.isPresent());
        ServiceProcess large = stack.startWorker();
        assertCompletedAndPaidOnce(jobId);
        assertThat(log(small)).as("the small worker rendered none of the job").doesNotContain("rendering task " + jobId);
        for (JsonNode p : client.payments(jobId)) {
            assertThat(p.path("workerId").asText()).isNotEqualTo(small.name());
        }
        large.close();
    }
}
