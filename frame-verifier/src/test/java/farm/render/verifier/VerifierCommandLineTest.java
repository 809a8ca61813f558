package farm.render.verifier;

import farm.render.core.cli.CommandLines;
import farm.render.verifier.bench.VerifyBench;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The verifier and its benchmark answer --help and refuse an unknown option with exit 2 and the usage. */
class VerifierCommandLineTest {
    record Run(int status, String out, String err) {
    }

    private static Run run(Object command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CommandLines.execute(command, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theVerifierAnswersHelpAndRefusesAnUnknownOption() {
        Run help = run(new VerifierMain(), "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("usage: frame-verifier --kafka HOST:PORT --coordinator URL").contains("--tolerate=M");
        Run bogus = run(new VerifierMain(), "--kafka", "k:1", "--bogus");
        assertThat(bogus.status()).isEqualTo(2);
        assertThat(bogus.err()).startsWith("frame-verifier: unknown option --bogus").contains("usage: frame-verifier");
        Run tolerate = run(new VerifierMain(), "--kafka", "k:1", "--coordinator", "http://127.0.0.1:9", "--tolerate", "32");
        assertThat(tolerate.status()).isEqualTo(2);
        assertThat(tolerate.err()).contains("need 0 <= --tolerate < 32");
    }

    @Test
    void theVerificationBenchmarkAnswersHelpAndRefusesAnUnknownOption() {
        Run help = run(new VerifyBench(), "-h");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("usage: ./farm bench verify")
                .contains("verification benchmark: detection, false positives and overhead of spot checks");
        Run bogus = run(new VerifyBench(), "--bogus", "1");
        assertThat(bogus.status()).isEqualTo(2);
        assertThat(bogus.err()).startsWith("farm bench verify: unknown option --bogus").contains("usage: ./farm bench verify");
        assertThat(run(new VerifyBench(), "--tile", "2").err()).contains("4 <= --tile <= 256");
    }
}
