package farm.render.worker.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class StartBenchmarkTest {
    @Test
    void measuresOncePerDeviceRendererVersionAndPresetAndKeepsTheScore(@TempDir Path stateDir) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        StartBenchmark.Measure measure = () -> 1000.0 * runs.incrementAndGet();

        StartBenchmark.Score first = StartBenchmark.score(stateDir, "gpu A", "v1", "start", measure);
        StartBenchmark.Score again = StartBenchmark.score(stateDir, "gpu A", "v1", "start", measure);
        StartBenchmark.Score newRenderer = StartBenchmark.score(stateDir, "gpu A", "v2", "start", measure);
        StartBenchmark.Score otherDevice = StartBenchmark.score(stateDir, "gpu B", "v1", "start", measure);
        StartBenchmark.Score otherPreset = StartBenchmark.score(stateDir, "gpu A", "v1", "full", measure);

        assertThat(first.cached()).isFalse();
        assertThat(again.cached()).isTrue();
        assertThat(again.pathsPerSecond()).isEqualTo(1000.0);
        assertThat(newRenderer.pathsPerSecond()).isEqualTo(2000.0);
        assertThat(otherDevice.pathsPerSecond()).isEqualTo(3000.0);
        assertThat(otherPreset.cached()).as("a score of another preset is not taken for this one").isFalse();
        assertThat(otherPreset.pathsPerSecond()).isEqualTo(4000.0);
        assertThat(runs.get()).isEqualTo(4);
        assertThat(again.toString()).isEqualTo("1,000 paths/s");
        assertThat(stateDir.resolve(StartBenchmark.FILE)).isRegularFile();
    }
}
