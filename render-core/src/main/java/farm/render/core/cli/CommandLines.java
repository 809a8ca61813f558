package farm.render.core.cli;

import farm.render.core.wire.RendererVersion;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;

/**
 * How every command line of the farm reads its arguments: picocli with a {@code usage:} heading, and a mistake
 * reported as {@code farm submit: unknown option --bogus} followed by the usage on stderr, exit 2.
 */
public final class CommandLines {
    /** The exit status of a command-line mistake, for every command. */
    public static final int USAGE = 2;
    /** Columns of the usage text: the synopses and exit code footers are written to fit it. */
    private static final int USAGE_WIDTH = 120;

    private CommandLines() {
    }

    /** A command line for {@code command} (an annotated {@code @Command} object) printing to the process's streams. */
    public static CommandLine of(Object command) {
        return of(command, System.out, System.err);
    }

    public static CommandLine of(Object command, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(command);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        line.setParameterExceptionHandler(CommandLines::usageError);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins, as ./farm relies on (--dir)
        conventions(line);
        return line;
    }

    /** Parses {@code args}, runs the command and returns its exit status: 0 for --help, 2 for a mistake. */
    public static int execute(Object command, PrintStream out, PrintStream err, String... args) {
        CommandLine line = of(command, out, err);
        try {
            return line.execute(args);
        } finally {
            line.getOut().flush();
            line.getErr().flush();
        }
    }

    /** A mistake found after parsing (a missing scene, two options that exclude each other), reported like one picocli found. */
    public static ParameterException mistake(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void conventions(CommandLine line) {
        CommandSpec spec = line.getCommandSpec();
        spec.usageMessage().width(USAGE_WIDTH).synopsisHeading("usage: ").descriptionHeading("%n").parameterListHeading("%n")
                .optionListHeading(spec.positionalParameters().isEmpty() ? "%n" : "").commandListHeading("%ncommands:%n");
        if (spec.version().length == 0) {
            spec.version("render farm, renderer " + RendererVersion.CURRENT);
        }
        line.getSubcommands().values().forEach(CommandLines::conventions);
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        PrintWriter err = line.getErr();
        err.println(line.getCommandSpec().qualifiedName().replaceFirst("^\\./", "") + ": " + reason(e));
        UnmatchedArgumentException.printSuggestions(e, err);
        line.usage(err);
        err.flush();
        return USAGE;
    }

    /** picocli's reason, in the words the farm's commands have always used for a stray word. */
    private static String reason(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            List<String> words = unmatched.getUnmatched();
            String first = words.get(0);
            return (first.startsWith("-") ? "unknown option " : "unexpected argument ") + first;
        }
        return e.getMessage();
    }
}
