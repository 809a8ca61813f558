package farm.render.worker.cli;

import farm.render.worker.WorkerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code render-worker device-class} in child processes, each with its lavapipe configuration set before the driver
 * loads: lavapipe held to SSE4.1 or to 128-bit vectors is another numerical class than lavapipe as it is, yet renders the
 * probe tiles bit for bit alike (so such a class can be proven); the test-only perturbation is a class of its own whose
 * probes differ.
 */
class DeviceClassCommandTest {
    @TempDir
    Path dir;

    /** The command's lines as key → value (tab-separated). */
    private Map<String, String> deviceClass(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = ChildJvm.command(System.getProperty("java.class.path"), WorkerMain.class);
        command.add("device-class");
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "device-class", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        NumericalConfiguration.LAVAPIPE_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().remove("FARM_TEST_PERTURB_LAST_BIT");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("device-class still running after 2 minutes").isTrue();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        Map<String, String> fields = new HashMap<>();
        for (String line : lines) {
            String[] kv = line.split("\t", 2);
            fields.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return fields;
    }

    @Test
    void lavapipeUnderSse41OrNarrowVectorsIsAnotherClassWithTheSameProbeBits() throws Exception {
        Map<String, String> asItIs = deviceClass(Map.of(), "--probes", "3");
        Map<String, String> sse41 = deviceClass(Map.of("GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1"), "--probes", "3");
        Map<String, String> narrow = deviceClass(Map.of("LP_NATIVE_VECTOR_WIDTH", "128"));
        assertThat(asItIs.get("class")).startsWith("nc-");
        assertThat(sse41.get("class")).as("device %s vs %s", asItIs.get("device"), sse41.get("device")).isNotEqualTo(asItIs.get("class"));
        assertThat(narrow.get("class")).isNotEqualTo(asItIs.get("class"));
        assertThat(sse41.get("device")).contains("128 bits");
        assertThat(sse41.get("fingerprint")).isEqualTo(asItIs.get("fingerprint"));
    }

    @Test
    void thePerturbedArithmeticIsAnotherClassWithOtherProbeBits() throws Exception {
        Map<String, String> honest = deviceClass(Map.of("GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1"), "--probes", "2");
        Map<String, String> perturbed = deviceClass(Map.of("GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1", "FARM_TEST_PERTURB_LAST_BIT", "1"),
                "--probes", "2");
        assertThat(perturbed.get("class")).isNotEqualTo(honest.get("class"));
        assertThat(perturbed.get("driver")).contains("rRcp flipped");
        assertThat(perturbed.get("probe 0")).isNotEqualTo(honest.get("probe 0"));
        assertThat(perturbed.get("fingerprint")).isNotEqualTo(honest.get("fingerprint"));
    }
}
