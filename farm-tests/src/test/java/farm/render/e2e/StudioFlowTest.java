package farm.render.e2e;

import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.SubmitCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A studio's pipeline through {@code ./farm submit} against the real local stack. */
@ExtendWith(SharedFarm.class)
class StudioFlowTest {
    private static final Pattern JOB_LINE = Pattern.compile("job ([0-9a-f-]{36}) (launched|already launched)");

    /** One CLI run: its exit, stdout and stderr. */
    record Run(SubmitCommand.Exit exit, String out, String err) {
        String jobId() {
            Matcher m = JOB_LINE.matcher(out);
            assertThat(m.find()).as("a job line in: %s", out).isTrue();
            return m.group(1);
        }
    }

    /** The studio's API token: a fresh account signed up for this class, as a studio would. */
    private static String token;

    @BeforeAll
    static void signUpTheStudio() throws Exception {
        token = FarmClient.signUp(SharedFarm.url(), "studio-" + UUID.randomUUID().toString().substring(0, 8), "studio password 1");
    }

    private static Run submit(String... args) {
        return submitWith(Map.of("FARM_TOKEN", token), args);
    }

    private static Run submitWith(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--coordinator", SharedFarm.url()));
        SubmitCommand.Exit exit = new SubmitCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env).run(all.toArray(String[]::new));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String cornell() {
        return SharedFarm.layout().sample("cornell-box/cornell-box.gltf").toString();
    }

    private static int jobCount(FarmClient client) throws Exception {
        int count = 0;
        String cursor = null;
        do {
            var page = client.jobs(100, cursor);
            count += page.path("jobs").size();
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return count;
    }

    @Test
    void threeJobsEachSubmittedTwiceWithItsIdempotencyKeyAreExactlyThreeJobs() throws Exception {
        FarmClient client = new FarmClient(SharedFarm.url(), token);
        int before = jobCount(client);
        Set<String> jobs = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String key = "studio-" + UUID.randomUUID();
            String[] args = {cornell(), "--frames", String.valueOf(i), "--width", "32", "--height", "32", "--spp", "2",
                    "--idempotency-key", key};
            Run first = submit(args);
            Run again = submit(args);
            assertThat(first.exit()).as(first.err()).isEqualTo(SubmitCommand.Exit.DONE);
            assertThat(again.exit()).as(again.err()).isEqualTo(SubmitCommand.Exit.DONE);
            assertThat(first.out()).contains("launched:").contains("quote: about");
            assertThat(again.out()).contains("already launched with this idempotency key");
            assertThat(again.jobId()).isEqualTo(first.jobId());
            jobs.add(first.jobId());
        }
        assertThat(jobs).hasSize(3);
        assertThat(jobCount(client) - before).isEqualTo(3);
    }

    @Test
    void waitAndDownloadWriteEveryFrame(@TempDir Path dir) throws Exception {
        Run run = submit(cornell(), "--frames", "0-1", "--width", "32", "--height", "32", "--spp", "2", "--wait",
                "--download", dir.toString());
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(run.out()).contains("completed: paid");
        for (String name : List.of("cornell-box-0000.png", "cornell-box-0001.png")) {
            BufferedImage frame = ImageIO.read(dir.resolve(name).toFile());
            assertThat(frame).as(name).isNotNull();
            assertThat(frame.getWidth()).isEqualTo(32);
            assertThat(frame.getHeight()).isEqualTo(32);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(2);
        }
    }

    @Test
    void downloadWithFormatExrWritesLinearFloatFrames(@TempDir Path dir) throws Exception {
        Run run = submit(cornell(), "--frames", "2", "--width", "24", "--height", "16", "--spp", "2", "--wait",
                "--download", dir.toString(), "--format", "exr");
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(SubmitCommand.Exit.DONE);
        byte[] exr = Files.readAllBytes(dir.resolve("cornell-box-0002.exr"));
        farm.render.core.image.Exr.Header header = farm.render.core.image.Exr.header(exr);
        assertThat(header.width()).isEqualTo(24);
        assertThat(header.height()).isEqualTo(16);
        assertThat(header.channels()).containsExactly("B", "G", "R");
        assertThat(header.allFloat()).isTrue();
        float[] rgb = farm.render.core.image.Exr.decode(exr).rgb();
        double sum = 0;
        for (float v : rgb) {
            assertThat(Float.isFinite(v) && v >= 0).as("a linear radiance value").isTrue();
            sum += v;
        }
        assertThat(sum).as("the Cornell box is lit").isPositive();

        Run badFormat = submit(cornell(), "--download", dir.toString(), "--format", "tiff");
        assertThat(badFormat.exit()).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(badFormat.err()).contains("--format is png or exr");
    }

    @Test
    void aDryRunPricesWithoutLaunchingAndBadInputGetsItsExitCode(@TempDir Path dir) throws Exception {
        FarmClient client = new FarmClient(SharedFarm.url(), token);
        int before = jobCount(client);
        Run dry = submit(cornell(), "--frames", "1-100x10", "--width", "32", "--height", "32", "--spp", "2", "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(dry.out()).contains("32 triangles").contains("10 frame(s) [1,11,21,31,41,51,61,71,81,91]").contains("dry run")
                .containsPattern("device memory: \\d+\\.\\d MiB per tile");
        assertThat(jobCount(client)).isEqualTo(before);

        Path junk = Files.write(dir.resolve("junk.glb"), "not a scene at all".getBytes(StandardCharsets.UTF_8));
        Run invalid = submit(junk.toString());
        assertThat(invalid.exit()).isEqualTo(SubmitCommand.Exit.INVALID_SCENE);
        assertThat(invalid.err()).contains("junk.glb was refused");

        Run badFrames = submit(cornell(), "--frames", "9-1", "--width", "32", "--height", "32", "--dry-run");
        assertThat(badFrames.exit()).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(badFrames.err()).contains("\"9-1\"");

        Run tooDear = submit(cornell(), "--width", "16384", "--height", "16384", "--spp", "65536", "--tile-size", "1024",
                "--tier", "priority", "--dry-run");
        assertThat(tooDear.exit()).as(tooDear.out() + tooDear.err()).isEqualTo(SubmitCommand.Exit.INSUFFICIENT_FUNDS);
    }

    @Test
    void withoutATokenOrWithAWrongOneTheExitCodeSaysSo(@TempDir Path home) {
        Map<String, String> noToken = Map.of("HOME", home.toString(), "FARM_DIR", home.resolve("no-farm").toString());
        Run none = submitWith(noToken, cornell(), "--dry-run");
        assertThat(none.exit()).isEqualTo(SubmitCommand.Exit.UNAUTHENTICATED);
        assertThat(none.err()).contains("no API token").contains("--token");

        Run wrong = submitWith(noToken, cornell(), "--dry-run", "--token", "rf_not-a-token");
        assertThat(wrong.exit()).as(wrong.err()).isEqualTo(SubmitCommand.Exit.UNAUTHENTICATED);
        assertThat(wrong.err()).contains("refused the API token");

        Run flag = submitWith(noToken, cornell(), "--width", "32", "--height", "32", "--spp", "2", "--dry-run", "--token", token);
        assertThat(flag.exit()).as(flag.err()).isEqualTo(SubmitCommand.Exit.DONE);
    }
}
