package farm.render.stack.bench;

import farm.render.core.cli.CommandLines;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FarmBenchCommandTest {
    private static final String README_WORDING = "farm benchmark: dispatch, ingest and payment rate with simulated workers, farm overhead";

    @Test
    void helpPrintsTheUsageWithTheReadmeWordingAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine cmd = CommandLines.of(new FarmBench(), new PrintStream(out, true), System.err);

        assertThat(cmd.execute("--help")).isZero();
        assertThat(cmd.getCommandSpec().usageMessage().description()).containsExactly(README_WORDING);
        assertThat(out.toString().replaceAll("\\s+", " "))
                .startsWith("usage: ./farm bench farm ")
                .contains(README_WORDING)
                .contains("--workers=N", "--frames=F", "--jfr", "--dir=DIR");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cmd = CommandLines.of(new FarmBench(), System.out, new PrintStream(err, true));

        assertThat(cmd.execute("--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("farm bench farm: unknown option --bogus").contains("usage: ./farm bench farm ");
    }

    @Test
    void theOptionsKeepTheirDefaults() {
        FarmBench bench = new FarmBench();
        new CommandLine(bench).parseArgs("--workers", "2", "--frames", "1", "--dir", "/tmp/x");

        assertThat(bench.workers).isEqualTo(2);
        assertThat(bench.frames).isEqualTo(1);
        assertThat(bench.dir).isEqualTo(Path.of("/tmp/x"));
        assertThat(bench.threads).isEqualTo(8);
        assertThat(bench.latencyJobs).isEqualTo(10);
        assertThat(bench.overheadFrames).isEqualTo(3);
        assertThat(bench.overheadSize).isEqualTo(128);
        assertThat(bench.overheadSpp).isEqualTo(16);
        assertThat(bench.timeoutSeconds).isEqualTo(240);
        assertThat(bench.skipLoad).isFalse();
        assertThat(bench.skipOverhead).isFalse();
        assertThat(bench.jfr).isFalse();
        assertThat(bench.coordinatorJar).isNull();
    }
}
