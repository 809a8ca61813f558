package farm.render.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.JobCommand;
import farm.render.stack.launcher.SubmitCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A studio steers a running job with {@code ./farm job} on the real local stack: pause, resume, priority, and the exit codes. */
@ExtendWith(SharedFarm.class)
class JobControlFlowTest {
    private static String token;
    private static FarmClient client;

    /** One CLI run: its exit and what it printed. */
    record Run(SubmitCommand.Exit exit, String out, String err) {
    }

    @BeforeAll
    static void signUp() throws Exception {
        token = FarmClient.signUp(SharedFarm.url(), "steerer-" + UUID.randomUUID().toString().substring(0, 8), "steerer password 1");
        client = new FarmClient(SharedFarm.url(), token);
    }

    private static Run job(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--coordinator", SharedFarm.url()));
        SubmitCommand.Exit exit = new JobCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FARM_TOKEN", token)).run(all.toArray(String[]::new));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPausedJobStopsAfterTheTilesAlreadyOutAndFinishesWhenResumed() throws Exception {
        String digest = client.uploadScene(SharedFarm.layout().sample("cornell-box/cornell-box.gltf")).path("digest").asText();
        // 8 frames of 12 tiles: more than the 64 tiles the dispatch window sends ahead per job
        String id = client.createJob(Map.of("sceneDigest", digest, "width", 32, "height", 24, "spp", 1, "tileSize", 8,
                "frames", "0-7")).path("id").asText();
        Run pause = job("pause", id);
        assertThat(pause.exit()).as(pause.err()).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(pause.out()).contains("job " + id + " paused");
        // tiles verified before the pause landed freed places in the window, which the dispatcher may have filled
        int verifiedBeforePause = client.job(id).path("tiles").path("verified").asInt();

        // the tiles already out are rendered and paid, then nothing more: the job waits, paused, with its escrow
        JsonNode paused = await().atMost(Duration.ofMinutes(5)).until(() -> client.job(id),
                j -> j.path("tiles").path("verified").asInt() == j.path("tiles").path("dispatched").asInt());
        assertThat(paused.path("state").asText()).isEqualTo("PAUSED");
        assertThat(paused.path("tiles").path("dispatched").asInt()).isLessThanOrEqualTo(64 + verifiedBeforePause).isLessThan(96);
        assertThat(paused.path("ledger").path("held").asLong()).isPositive();

        Run priority = job("priority", id, "80");
        assertThat(priority.exit()).as(priority.err()).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(priority.out()).contains("priority 80");
        Run resume = job("resume", id);
        assertThat(resume.exit()).as(resume.err()).isEqualTo(SubmitCommand.Exit.DONE);
        JsonNode done = await().atMost(Duration.ofMinutes(10)).until(() -> client.job(id),
                j -> j.path("state").asText().equals("COMPLETED"));
        assertThat(done.path("tiles").path("verified").asInt()).isEqualTo(96);
        assertThat(done.path("priority").asInt()).isEqualTo(80);
        JsonNode payments = client.payments(id);
        assertThat(payments.size()).as("every tile paid once").isEqualTo(96);

        Run finished = job("pause", id);
        assertThat(finished.exit()).isEqualTo(SubmitCommand.Exit.JOB_FINISHED);
        assertThat(finished.err()).contains("COMPLETED");
    }

    @Test
    void mistakesAndOtherAccountsJobsGetTheirExitCodes() {
        assertThat(job("pause").exit()).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(job("priority", UUID.randomUUID().toString(), "101").exit()).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(job("shout", UUID.randomUUID().toString()).exit()).isEqualTo(SubmitCommand.Exit.USAGE);
        Run unknown = job("resume", UUID.randomUUID().toString());
        assertThat(unknown.exit()).as(unknown.err()).isEqualTo(SubmitCommand.Exit.UNKNOWN_JOB);
        assertThat(unknown.err()).contains("no job");
    }
}
