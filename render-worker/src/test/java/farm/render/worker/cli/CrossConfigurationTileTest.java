package farm.render.worker.cli;

import farm.render.core.image.Exr;
import farm.render.core.image.PixelComparison;
import farm.render.worker.WorkerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tile rendered on lavapipe as it is and again, in a second process, with lavapipe held to SSE4.1 (other vector
 * widths, other instruction selection): the two EXR files must be byte-identical, so an exact check is sound across
 * numerical configurations.
 */
class CrossConfigurationTileTest {
    @TempDir
    Path dir;

    @Test
    void aTileIsByteIdenticalUnderAnotherLavapipeConfiguration() throws Exception {
        Path asItIs = render(Map.of(), "as-it-is.exr");
        Path sse41 = render(Map.of("GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1"), "sse4.1.exr");
        ImageAgreement agreement = ImageAgreement.of(Exr.decode(Files.readAllBytes(asItIs)), Exr.decode(Files.readAllBytes(sse41)),
                PixelComparison.DEFAULT);
        assertThat(Files.mismatch(asItIs, sse41))
                .as("first differing byte; %d of %d pixels bit-identical, max |diff| %s", agreement.identical(), agreement.pixels(),
                        agreement.maxAbsDiff())
                .isEqualTo(-1L);
    }

    /** The worker jar's render command in a child JVM with {@code env} set: the Cornell box as one 32x32 tile, 4 spp. */
    private Path render(Map<String, String> env, String name) throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        List<String> command = ChildJvm.command(System.getProperty("java.class.path"), WorkerMain.class);
        command.addAll(List.of("render", BenchCommand.cornellBox().toString(), "--width", "32", "--height", "32", "--tile", "32",
                "--spp", "4", "-o", out.toString()));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        NumericalConfiguration.LAVAPIPE_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("render %s still running after 2 minutes", name).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log, StandardCharsets.UTF_8)).isZero();
        return out;
    }
}
