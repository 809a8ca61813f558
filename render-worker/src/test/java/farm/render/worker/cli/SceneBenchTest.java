package farm.render.worker.cli;

import farm.render.core.cli.CommandLines;
import farm.render.worker.WorkerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code bench scenes} on a tiny scene and forest through real child processes and lavapipe; its goals judged on known rows. */
class SceneBenchTest {
    @TempDir
    Path dir;

    @Test
    void aTinyRunPrintsEachSceneTheTableAndEveryGoal() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var line = CommandLines.of(new WorkerMain(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int status = line.execute("bench", "scenes", "--sizes", "10k", "--forest", "3", "--tree", "1k", "--spp", "2", "--no-cycles",
                "--keep", dir.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(text).contains("settings: 160x96, 2 spp, 8 bounces").contains("Cycles on the CPU, skipped (--no-cycles)")
                .contains("scene 10k: ten smooth spheres under a sun, 10240 triangles").contains("scene forest: 3 nodes sharing one tree mesh")
                .contains("  intake: accepted, 10240 triangles").contains("  worker (package): ").contains("  render command (file, cold JVM): ")
                .contains("  Cycles: skipped (--no-cycles)").contains("| 10k | 10240 |").contains("| forest | ");
        List<String> goals = text.lines().filter(l -> l.startsWith("goal: ")).toList();
        assertThat(goals).hasSize(5).allMatch(l -> l.matches(".*: (MET|MISSED|NOT MEASURED)( \\(.*\\))?"));
        assertThat(goals.get(3)).contains("the whole command at 5m no slower than Cycles: NOT MEASURED");
        assertThat(dir.resolve("10k.glb")).exists();
        assertThat(dir.resolve("10k.png")).exists();
        assertThat(Files.size(dir.resolve("10k.rfpk"))).isPositive();
    }

    @Test
    void aSizeThatIsNoCountIsAMistake() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var line = CommandLines.of(new WorkerMain(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(line.execute("bench", "scenes", "--sizes", "10k,lots")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'lots' is not a triangle count");
        assertThat(Generated.count("1.5m")).isEqualTo(1_500_000);
        assertThat(Generated.count("100k")).isEqualTo(100_000);
        assertThatThrownBy(() -> Generated.count("0k")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void goalsAreMetOnlyByMeasuredFiguresAndARefusalMissesThem() {
        SceneRow small = row("10k", 10_000, accepted(10_000, 400_000, 0.5), render(2e6, 300_000_000L), 3.0, 2.0);
        SceneRow large = row("5m", 5_000_000, accepted(5_000_000, 200_000_000, 4.0), render(1.2e6, 650_000_000L), 6.0, 8.0);
        List<String> met = SceneGoals.judge(List.of(small, large));
        assertThat(met).allMatch(l -> l.contains(": MET ("));
        SceneRow slow = row("5m", 5_000_000, accepted(5_000_000, 600_000_000, 12.0), render(0.4e6, 2_000_000_000L), 30.0, 8.0);
        List<String> missed = SceneGoals.judge(List.of(small, slow));
        assertThat(missed).allMatch(l -> l.contains(": MISSED ("));
        assertThat(missed.get(0)).contains("over: 5m 120.0 B");
        assertThat(missed.get(2)).contains("0.20x").contains("per CPU second 0.20x");
        assertThat(missed.get(3)).contains("30.0 s against 8.0 s, 3.75x");
        SceneRow refused = new SceneRow("10m", "spheres", 10_000_000, 1, new SceneRow.Intake(false, 0, 0, 120, 4_000_000_000L,
                "over the import time limit: import took longer than 120 s and was stopped"), SceneRow.Step.none("refused at intake"),
                SceneRow.Step.none("exit 1 (out of memory)"), SceneRow.Step.none("skipped (--no-cycles)"));
        List<String> withRefusal = SceneGoals.judge(List.of(small, large, refused));
        assertThat(withRefusal.get(0)).contains("MISSED").contains("refused: 10m");
        assertThat(withRefusal.get(1)).contains("MISSED").contains("10m refused");
        assertThat(SceneGoals.judge(List.of(small)).get(2)).contains("NOT MEASURED");
    }

    private static SceneRow.Intake accepted(long triangles, long packageBytes, double seconds) {
        return new SceneRow.Intake(true, packageBytes, triangles, seconds, 100_000_000L, "");
    }

    private static SceneRow.Step<SceneRow.Render> render(double pathsPerSecond, long rss) {
        return SceneRow.Step.of(new SceneRow.Render("lavapipe", 0.1, 1.0, 2.0, Math.round(pathsPerSecond), rss));
    }

    private static SceneRow row(String label, long triangles, SceneRow.Intake intake, SceneRow.Step<SceneRow.Render> render,
                                double wholeSeconds, double cyclesSeconds) {
        return new SceneRow(label, "spheres", triangles, triangles * 24, intake, render,
                SceneRow.Step.of(new SceneRow.Whole(wholeSeconds, 500_000_000L)),
                SceneRow.Step.of(new CyclesRun.Result(cyclesSeconds, 1, 1, 300_000_000L)));
    }
}
