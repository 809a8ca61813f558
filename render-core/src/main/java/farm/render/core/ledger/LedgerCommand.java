package farm.render.core.ledger;

import farm.render.core.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code ./farm ledger}: the ledger's commands for anyone holding an export; {@code verify} is the one there is. */
@Command(name = "./farm ledger", mixinStandardHelpOptions = true, subcommands = LedgerVerifyMain.class,
        customSynopsis = "./farm ledger verify FILE --key KEY | --coordinator URL [--checkpoint FILE] [--token T]",
        description = "check an exported ledger without trusting the coordinator that wrote it")
public final class LedgerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.of(new LedgerCommand()).execute(args));
    }

    @Override
    public Integer call() {
        throw CommandLines.mistake(spec, "which ledger command? verify");
    }
}
