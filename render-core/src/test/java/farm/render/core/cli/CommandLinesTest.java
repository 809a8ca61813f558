package farm.render.core.cli;

import farm.render.core.identity.Ed25519Bench;
import farm.render.core.ledger.LedgerCommand;
import farm.render.core.ledger.LedgerVerifyMain;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** render-core's commands answer --help with their usage and exit 0, and refuse an unknown option with exit 2 and the usage. */
class CommandLinesTest {
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
    void ledgerVerifyAnswersHelpAndRefusesAnUnknownOption() {
        Run help = run(new LedgerCommand(), "verify", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("usage: ./farm ledger verify FILE --key KEY | --coordinator URL")
                .contains("check an exported ledger (GET /api/v1/ledger/export) against the pinned ledger key")
                .contains("exit codes: 0 OK, 1 BAD, 2 cannot check");
        assertThat(run(new LedgerCommand(), "--help").out()).contains("verify");

        Run bogus = run(new LedgerCommand(), "verify", "export.jsonl", "--bogus");
        assertThat(bogus.status()).isEqualTo(CommandLines.USAGE);
        assertThat(bogus.err()).startsWith("farm ledger verify: unknown option --bogus").contains("usage: ./farm ledger verify");
        assertThat(bogus.out()).isEmpty();
    }

    @Test
    void ledgerWithoutItsSubcommandIsAUsageError() {
        Run run = run(new LedgerCommand());
        assertThat(run.status()).isEqualTo(CommandLines.USAGE);
        assertThat(run.err()).contains("which ledger command? verify").contains("usage: ");
    }

    @Test
    void ledgerVerifyAloneTakesTheWordsAfterVerify() {
        assertThat(LedgerVerifyMain.run(new String[]{"-h"}, java.util.Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()))).isZero();
    }

    @Test
    void ed25519BenchAnswersHelpAndRefusesAnUnknownOption() {
        Run help = run(new Ed25519Bench(), "-h");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("usage: ./farm bench ed25519 [--seconds S] [--rounds R]")
                .contains("signatures and verifications per second");
        Run bogus = run(new Ed25519Bench(), "--rounds", "3", "--bogus");
        assertThat(bogus.status()).isEqualTo(CommandLines.USAGE);
        assertThat(bogus.err()).startsWith("farm bench ed25519: unknown option --bogus").contains("usage: ./farm bench ed25519");
        Run zero = run(new Ed25519Bench(), "--rounds", "0");
        assertThat(zero.status()).isEqualTo(CommandLines.USAGE);
        assertThat(zero.err()).contains("need --seconds > 0 and --rounds >= 1");
    }
}
