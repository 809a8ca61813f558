package farm.render.verifier.bench;

import farm.render.core.cli.CommandLines;
import farm.render.worker.daemon.Cheat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./farm bench verify} with few tiles, on the real renderer: the peer-checked rows appear, a lying and a lazy peer
 * are caught in each of their checks, honest workers and peers are never failed, and {@code --peer-tiles 0} leaves the rows out.
 */
class PeerRowsTest {
    @AfterEach
    void cheatsOffAgain() {
        System.clearProperty(Cheat.SWITCH); // the benchmark switches the test-only cheats on for its own workers
    }

    private static String run(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(CommandLines.of(new VerifyBench()).execute(args)).isZero();
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void peerRowsCatchALyingAndALazyPeerAndFailNoHonestParty() {
        String out = run("--honest", "4", "--cheat-tiles", "2", "--overhead-tiles", "0", "--other-config-tiles", "0",
                "--peer-honest-tiles", "20", "--peer-tiles", "3");
        assertThat(out).contains("| honest, honest peer ", "| forge-5-percent, honest peer ", "| forge-25-percent, colluding peer ",
                "lying peer 100.00% (3 of 3)", "lazy peer 100.00% (3 of 3)", "false positives 0: 0 of ");
        assertThat(out).containsPattern("\\| honest, lying peer +\\| +3 \\| +0 \\|");
        assertThat(out.strip()).containsPattern("detection=\\d+\\.\\d\\d% false_positive=0\\.00% overhead=\\d+\\.\\d\\d%$");

        String without = run("--honest", "2", "--cheat-tiles", "2", "--overhead-tiles", "0", "--other-config-tiles", "0",
                "--peer-tiles", "0");
        assertThat(without).doesNotContain("peer checks:", "lying peer").containsPattern("detection=.*overhead=");
    }
}
