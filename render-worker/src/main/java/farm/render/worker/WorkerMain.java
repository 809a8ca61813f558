package farm.render.worker;

import farm.render.core.cli.CommandLines;
import farm.render.worker.cli.BenchCommand;
import farm.render.worker.cli.DeviceClassCommand;
import farm.render.worker.cli.RenderCommand;
import farm.render.worker.cli.RunCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The worker jar's commands: {@code run} joins a farm ({@code ./farm worker}), {@code render} renders a scene locally
 * with no services ({@code ./farm render}), {@code bench} measures this device ({@code ./farm bench}).
 */
@Command(name = "render-worker", mixinStandardHelpOptions = true,
        subcommands = {RunCommand.class, RenderCommand.class, BenchCommand.class, DeviceClassCommand.class, HelpCommand.class},
        description = "the farm's worker: join a farm and render its tiles, render a scene locally, or measure this device")
public final class WorkerMain implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.of(new WorkerMain()).execute(args));
    }

    /** No command: the usage, on stderr, and success, as {@code help} does. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 0;
    }
}
