package farm.render.stack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.cli.CommandLines;
import farm.render.core.credentials.ApiTokens;
import farm.render.stack.launcher.SubmitCommand.Exit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./farm job ACTION JOB_ID}: steers a launched job. {@code status} prints it, {@code pause} stops
 * its dispatch (tiles already out finish), {@code resume} goes on, {@code priority N} (0-100) moves it
 * ahead of or behind the account's other queued jobs of its tier, {@code cancel} stops it and refunds the unused escrow.
 * Exit codes are {@code ./farm submit}'s, plus 8 for a job the account does not have and 9 for one
 * that has already finished.
 */
@Command(name = "./farm job", mixinStandardHelpOptions = true,
        customSynopsis = {"./farm job status|pause|resume|cancel JOB_ID [--coordinator URL] [--token T]",
                "       ./farm job priority JOB_ID N [--coordinator URL] [--token T]"},
        description = "steer a launched job: pause, resume, cancel, or change its priority",
        footer = {"%nexit codes: 0 done, 2 usage, 6 coordinator unreachable, 7 no API token or the coordinator refused it,",
                "            8 no such job for this account, 9 the job has already finished"})
public final class JobCommand implements Callable<Integer> {
    @Option(names = "--coordinator", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "the coordinator (default: $FARM_URL, else the farm started by ./farm up)")
    private String coordinator;
    @Option(names = "--token", paramLabel = "T", scope = ScopeType.INHERIT,
            description = "API token (default: $FARM_TOKEN, else ~/.config/render-farm/token,"
                    + " else the operator token of the farm started by ./farm up)")
    private String token;
    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    public JobCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new JobCommand(System.out, System.err, System.getenv()).run(args).code);
    }

    /** Runs {@code ./farm job} with {@code args}; what a script would see as the exit status. */
    public Exit run(String... args) {
        coordinator = null; // each run starts from the defaults
        token = null;
        return Exit.of(CommandLines.execute(this, out, err, args));
    }

    @Override
    public Integer call() {
        throw CommandLines.mistake(spec, "which action? one of status, pause, resume, priority, cancel");
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "print the job's state, progress and priority")
    int status(@Parameters(paramLabel = "JOB_ID") String jobId) {
        return steer(jobId, client -> client.job(jobId)).code;
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "send no more of its tiles to workers (tiles already out finish and are paid; the escrow stays)")
    int pause(@Parameters(paramLabel = "JOB_ID") String jobId) {
        return steer(jobId, client -> client.pause(jobId)).code;
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "send its remaining tiles again")
    int resume(@Parameters(paramLabel = "JOB_ID") String jobId) {
        return steer(jobId, client -> client.resume(jobId)).code;
    }

    @Command(name = "priority", mixinStandardHelpOptions = true,
            description = "0-100 (default 50): among your queued jobs of its tier, higher is sent to workers first")
    int priority(@Parameters(paramLabel = "JOB_ID") String jobId, @Parameters(paramLabel = "N") int priority) {
        if (priority < 0 || priority > 100) {
            throw CommandLines.mistake(spec, "the priority is a whole number from 0 to 100, not '" + priority + "'");
        }
        return steer(jobId, client -> client.priority(jobId, priority)).code;
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "stop the job and refund the escrow its verified tiles have not used")
    int cancel(@Parameters(paramLabel = "JOB_ID") String jobId) {
        return steer(jobId, client -> client.cancel(jobId)).code;
    }

    /** One call on the coordinator that answers with the job. */
    private interface Steer {
        JsonNode apply(FarmClient client) throws IOException;
    }

    private Exit steer(String jobId, Steer action) {
        if (!jobId.matches("[0-9A-Za-z-]{1,64}")) {
            throw CommandLines.mistake(spec, "'" + jobId + "' is not a job id");
        }
        String url;
        try {
            url = SubmitCommand.coordinatorUrl(coordinator, env);
        } catch (IOException e) {
            err.println("farm job: " + e.getMessage());
            return Exit.UNREACHABLE;
        }
        Optional<String> token = ApiTokens.resolve(this.token, env);
        if (token.isEmpty()) {
            err.println("farm job: no API token: pass --token T, set " + ApiTokens.ENV + ", or put one in " + ApiTokens.userFile(env));
            return Exit.UNAUTHENTICATED;
        }
        FarmClient client = new FarmClient(url, token.get());
        try {
            JsonNode job = action.apply(client);
            JsonNode tiles = job.path("tiles");
            out.printf("job %s %s: priority %d, %d of %d frames, %d of %d tiles verified%n", job.path("id").asText(),
                    job.path("state").asText().toLowerCase(java.util.Locale.ROOT), job.path("priority").asInt(),
                    job.path("framesDone").asInt(), job.path("frameCount").asInt(), tiles.path("verified").asInt(),
                    tiles.path("total").asInt());
            return Exit.DONE;
        } catch (FarmClient.FarmApiException e) {
            String type = e.problem().path("type").asText();
            String detail = e.problem().path("detail").asText(e.getMessage());
            err.println("farm job: " + detail);
            if (e.status() == 401) {
                return Exit.UNAUTHENTICATED;
            }
            if (type.endsWith("/unknown-job")) {
                return Exit.UNKNOWN_JOB;
            }
            if (type.endsWith("/job-finished")) {
                return Exit.JOB_FINISHED;
            }
            return e.status() >= 500 ? Exit.UNREACHABLE : Exit.USAGE;
        } catch (IOException e) {
            err.println("farm job: cannot reach the coordinator at " + url + ": " + e.getMessage());
            return Exit.UNREACHABLE;
        }
    }
}
