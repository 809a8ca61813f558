package farm.render.stack.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmitCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private SubmitCommand.Exit run(Map<String, String> env, String... args) {
        return new SubmitCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env).run(args);
    }

    @Test
    void commandLineMistakesExitTwoWithAReason(@TempDir Path dir) throws Exception {
        Path scene = Files.writeString(dir.resolve("s.gltf"), "{}");
        assertThat(run(Map.of())).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(err.toString()).contains("which scene?").contains("exit codes");
        assertThat(run(Map.of(), dir.resolve("missing.gltf").toString())).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(run(Map.of(), scene.toString(), "--spp", "many")).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(run(Map.of(), scene.toString(), "--width", "64")).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(run(Map.of(), scene.toString(), "--dry-run", "--wait")).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(run(Map.of(), scene.toString(), "--bogus")).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(err.toString()).contains("unknown option --bogus");
        assertThat(run(Map.of(), "--help")).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(out.toString()).contains("usage: ./farm submit");
    }

    @Test
    void noCoordinatorOrADeadOneExitsSix(@TempDir Path dir) throws Exception {
        Path scene = Files.writeString(dir.resolve("s.gltf"), "{}");
        assertThat(run(Map.of("FARM_DIR", dir.toString()), scene.toString())).isEqualTo(SubmitCommand.Exit.UNREACHABLE);
        assertThat(err.toString()).contains("./farm up");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("stack.url"), "http://127.0.0.1:" + port + "\n");
        Files.writeString(dir.resolve("operator.token"), "rf_token-of-a-stack-that-is-down\n");
        assertThat(run(Map.of("FARM_DIR", dir.toString()), scene.toString())).isEqualTo(SubmitCommand.Exit.UNREACHABLE);
        assertThat(err.toString()).contains("cannot reach the coordinator at http://127.0.0.1:" + port);
    }

    @Test
    void aFarmWithoutAnyTokenAtHandExitsSevenAndSaysWhereATokenGoes(@TempDir Path dir) throws Exception {
        Path scene = Files.writeString(dir.resolve("s.gltf"), "{}");
        Files.writeString(dir.resolve("stack.url"), "http://127.0.0.1:9\n");
        assertThat(run(Map.of("FARM_DIR", dir.toString()), scene.toString())).isEqualTo(SubmitCommand.Exit.UNAUTHENTICATED);
        assertThat(err.toString()).contains("no API token").contains("--token");
    }

    @Test
    void optionsBecomeTheJobRequest(@TempDir Path dir) throws Exception {
        Path scene = Files.writeString(dir.resolve("s.gltf"), "{}");
        SubmitCommand.Options o = SubmitCommand.parse(new String[]{scene.toString(), "--frames", "1-9x2", "--width=32", "--height",
                "16", "--spp", "2", "--tier", "economy", "--wait"});
        assertThat(o.waitForEnd()).isTrue();
        assertThat(SubmitCommand.jobRequest("d", o)).containsEntry("frames", "1-9x2").containsEntry("width", 32)
                .containsEntry("height", 16).containsEntry("spp", 2).containsEntry("tier", "economy").doesNotContainKey("tileSize")
                .doesNotContainKey("clampIndirect");
        SubmitCommand.Options clamped = SubmitCommand.parse(new String[]{scene.toString(), "--clamp-indirect", "4.5"});
        assertThat(SubmitCommand.jobRequest("d", clamped)).containsEntry("clampIndirect", 4.5f);
        assertThatThrownBy(() -> SubmitCommand.parse(new String[]{scene.toString(), "--clamp-indirect", "-1"}))
                .hasMessageContaining("--clamp-indirect must be 0 (off) or a positive number");
    }
}
