package farm.render.worker.cli;

import farm.render.core.cli.CommandLines;
import farm.render.core.wire.Tier;
import farm.render.worker.WorkerMain;
import farm.render.worker.daemon.WorkerOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker jar's commands (run, render, bench, bench tiles) answer --help and refuse an unknown option with exit 2. */
class WorkerCommandLineTest {
    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CommandLines.of(new WorkerMain(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandAnswersHelpWithItsDescription() {
        assertThat(run("run", "--help")).satisfies(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.out()).startsWith("usage: ./farm worker --coordinator URL")
                    .contains("GPU owners: join a farm; the key pair is made on first run and registered").contains("--cache-bytes=SIZE");
        });
        assertThat(run("render", "-h")).satisfies(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.out()).startsWith("usage: render SCENE").contains("render locally with the worker's renderer, no services");
        });
        assertThat(run("bench", "--help")).satisfies(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.out()).startsWith("usage: bench").contains("renderer benchmark: a device score in paths per second");
        });
        assertThat(run("bench", "tiles", "--help")).satisfies(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.out()).startsWith("usage: bench tiles").contains("what tiling costs");
        });
        assertThat(run("--help").out()).contains("run", "render", "bench");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        for (List<String> args : List.of(List.of("run", "--bogus"), List.of("render", "s.gltf", "-o", "x.png", "--bogus"),
                List.of("bench", "--bogus"), List.of("bench", "tiles", "--bogus"))) {
            Run r = run(args.toArray(String[]::new));
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains("unknown option --bogus").contains("usage: ");
        }
        assertThat(run("bench", "--size", "0").err()).contains("'--size': must be at least 1, got 0");
        assertThat(run("render", "s.gltf", "-o", "x.png", "--spp", "many").err()).contains("'--spp': 'many' is not a whole number");
        assertThat(run("shout").status()).isEqualTo(2);
    }

    @Test
    void workerFlagsKeepTheirFormats() {
        WorkerOptions o = WorkerOptions.parse(new String[]{"--kafka", "k:1", "--id", "gpu-7", "--tiers", "economy, standard",
                "--cache-bytes", "8G", "--vram-budget", "512M", "--workers", "3", "--skip-bench"});
        assertThat(o.bootstrapServers()).isEqualTo("k:1");
        assertThat(o.workerId()).isEqualTo("gpu-7");
        assertThat(o.tiers()).containsExactly(Tier.ECONOMY, Tier.STANDARD);
        assertThat(o.cacheBytes()).isEqualTo(8L << 30);
        assertThat(o.vramBudget()).isEqualTo(OptionalLong.of(512L << 20));
        assertThat(o.workers()).isEqualTo(3);
        assertThat(o.skipBench()).isTrue();
        assertThat(WorkerOptions.parse(new String[]{"--kafka", "k:1"}).tiers()).containsExactly(Tier.values());
        assertThatThrownBy(() -> WorkerOptions.parse(new String[]{"--kafka", "k:1", "--cache-bytes", "lots"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--cache-bytes").hasMessageContaining("512M or 2G");
        assertThatThrownBy(() -> WorkerOptions.parse(new String[]{"--kafka", "k:1", "--tiers", "gold"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tier must be one of priority, standard, economy");
        assertThatThrownBy(() -> WorkerOptions.parse(new String[]{"--kafka", "k:1", "--workers", "17"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--workers must be between 1 and 16");
        assertThatThrownBy(() -> WorkerOptions.parse(new String[]{"--kafka", "k:1", "--bogus"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
    }
}
