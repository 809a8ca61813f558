package farm.render.verifier;

import farm.render.core.cli.CommandLines;
import farm.render.verifier.bench.VerifyBench;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The verifier and its benchmark answer --help and refuse an unknown option with exit 2 and the usage. */
class VerifierCommandLineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** The command as its main runs it, printing here instead of to the process's streams. */
    private CommandLine line(Object command) {
        CommandLine line = CommandLines.of(command);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line;
    }

    @Test
    void theVerifierAnswersHelpAndRefusesAnUnknownOption() {
        assertThat(line(new VerifierMain()).execute("--help")).isZero();
        assertThat(out.toString()).startsWith("usage: frame-verifier --kafka HOST:PORT --coordinator URL").contains("--tolerate=M");
        assertThat(line(new VerifierMain()).execute("--kafka", "k:1", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).startsWith("frame-verifier: unknown option --bogus").contains("usage: frame-verifier");
        assertThat(line(new VerifierMain()).execute("--kafka", "k:1", "--coordinator", "http://127.0.0.1:9", "--tolerate", "32"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("need 0 <= --tolerate < 32");
    }

    @Test
    void theVerificationBenchmarkAnswersHelpAndRefusesAnUnknownOption() {
        assertThat(line(new VerifyBench()).execute("-h")).isZero();
        assertThat(out.toString()).startsWith("usage: ./farm bench verify")
                .contains("verification benchmark: detection, false positives and overhead of spot checks");
        assertThat(line(new VerifyBench()).execute("--bogus", "1")).isEqualTo(2);
        assertThat(err.toString()).startsWith("farm bench verify: unknown option --bogus").contains("usage: ./farm bench verify");
        assertThat(line(new VerifyBench()).execute("--tile", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("4 <= --tile <= 256");
    }
}
