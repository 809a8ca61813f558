package farm.render.stack.launcher;

import farm.render.core.cli.CommandLines;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's commands (up, demo, submit, job) answer --help and refuse an unknown option with exit 2 and the usage. */
class LauncherCommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void submitAnswersHelpAndRefusesAnUnknownOption() {
        SubmitCommand submit = new SubmitCommand(outStream, errStream, Map.of());
        assertThat(submit.run("-h")).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(out()).startsWith("usage: ./farm submit SCENE")
                .contains("studios: upload a scene to a running farm, print its summary and quote, launch the job")
                .contains("exit codes: 0 done, 2 usage");
        assertThat(submit.run("--bogus")).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(err()).startsWith("farm submit: unknown option --bogus").contains("usage: ./farm submit SCENE");
    }

    @Test
    void jobAnswersHelpForItselfAndEachActionAndRefusesAnUnknownOption() {
        JobCommand job = new JobCommand(outStream, errStream, Map.of());
        assertThat(job.run("--help")).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(out()).startsWith("usage: ./farm job status|pause|resume|cancel JOB_ID")
                .contains("steer a launched job: pause, resume, cancel, or change its priority")
                .contains("status", "pause", "resume", "priority", "cancel");
        assertThat(job.run("priority", "--help")).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(out()).contains("usage: ./farm job priority");
        assertThat(job.run("pause", "some-job", "--bogus")).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(err()).startsWith("farm job pause: unknown option --bogus").contains("usage: ./farm job pause");
        assertThat(job.run("pause", "not a job id")).isEqualTo(SubmitCommand.Exit.USAGE);
        assertThat(err()).contains("'not a job id' is not a job id");
    }

    @Test
    void upAndDemoAnswerHelpAndRefuseAnUnknownOption() {
        assertThat(CommandLines.execute(new StackMain(), outStream, errStream, "up", "--help")).isZero();
        assertThat(out()).startsWith("usage: ./farm up [--workers N]").contains("start the farm in the background");
        assertThat(CommandLines.execute(new StackMain(), outStream, errStream, "demo", "--dir", "/tmp/none", "-h")).isZero();
        assertThat(out()).contains("usage: ./farm demo [--workers N]").contains("start a fresh farm, render the Cornell box");
        assertThat(CommandLines.execute(new StackMain(), outStream, errStream, "demo", "--bogus")).isEqualTo(2);
        assertThat(err()).startsWith("farm demo: unknown option --bogus").contains("usage: ./farm demo");
        assertThat(CommandLines.execute(new StackMain(), outStream, errStream, "up", "--workers", "many")).isEqualTo(2);
        assertThat(CommandLines.execute(new StackMain(), outStream, errStream)).isEqualTo(2);
    }
}
