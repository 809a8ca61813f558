package farm.render.stack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.credentials.ApiTokens;
import farm.render.stack.launcher.SubmitCommand.Exit;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./farm job ACTION JOB_ID}: steers a launched job. {@code status} prints it, {@code pause} stops
 * its dispatch (tiles already out finish), {@code resume} goes on, {@code priority N} (0-100) moves it
 * ahead of or behind other queued jobs of its tier, {@code cancel} stops it and refunds the unused escrow.
 * Exit codes are {@code ./farm submit}'s, plus 8 for a job the account does not have and 9 for one
 * that has already finished.
 */
public final class JobCommand {
    static final String USAGE = """
            usage: ./farm job status|pause|resume|cancel JOB_ID [--coordinator URL] [--token T]
                   ./farm job priority JOB_ID N [--coordinator URL] [--token T]

              status      print the job's state, progress and priority
              pause       send no more of its tiles to workers (tiles already out finish and are paid; the escrow stays)
              resume      send its remaining tiles again
              priority N  0-100 (default 50): among queued jobs of its tier, higher is sent to workers first
              cancel      stop the job and refund the escrow its verified tiles have not used

            exit codes: 0 done, 2 usage, 6 coordinator unreachable, 7 no API token or the coordinator refused it,
                        8 no such job for this account, 9 the job has already finished
            """;
    private static final List<String> ACTIONS = List.of("status", "pause", "resume", "priority", "cancel");

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

    /** The parsed command line: the action, the job, the priority for {@code priority}, and the options. */
    record Command(String action, String jobId, Integer priority, String coordinator, String token) {
    }

    public Exit run(String... args) {
        Command c;
        try {
            c = parse(args);
        } catch (SubmitCommand.UsageException e) {
            if (e.getMessage().equals("help")) {
                out.print(USAGE);
                return Exit.DONE;
            }
            err.println("farm job: " + e.getMessage());
            err.print(USAGE);
            return Exit.USAGE;
        }
        String url;
        try {
            url = SubmitCommand.coordinatorUrl(c.coordinator(), env);
        } catch (IOException e) {
            err.println("farm job: " + e.getMessage());
            return Exit.UNREACHABLE;
        }
        Optional<String> token = ApiTokens.resolve(c.token(), env);
        if (token.isEmpty()) {
            err.println("farm job: no API token: pass --token T, set " + ApiTokens.ENV + ", or put one in " + ApiTokens.userFile(env));
            return Exit.UNAUTHENTICATED;
        }
        FarmClient client = new FarmClient(url, token.get());
        try {
            JsonNode job = switch (c.action()) {
                case "pause" -> client.pause(c.jobId());
                case "resume" -> client.resume(c.jobId());
                case "cancel" -> client.cancel(c.jobId());
                case "priority" -> client.priority(c.jobId(), c.priority());
                default -> client.job(c.jobId());
            };
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

    static Command parse(String[] args) throws SubmitCommand.UsageException {
        List<String> positional = new ArrayList<>();
        String coordinator = null;
        String token = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new SubmitCommand.UsageException("help");
            }
            if (a.equals("--coordinator") || a.equals("--token")) {
                if (i + 1 >= args.length) {
                    throw new SubmitCommand.UsageException(a + " needs a value");
                }
                if (a.equals("--coordinator")) {
                    coordinator = args[++i];
                } else {
                    token = args[++i];
                }
            } else if (a.startsWith("--")) {
                throw new SubmitCommand.UsageException("unknown option " + a);
            } else {
                positional.add(a);
            }
        }
        if (positional.isEmpty() || !ACTIONS.contains(positional.get(0))) {
            throw new SubmitCommand.UsageException("which action? one of " + String.join(", ", ACTIONS));
        }
        String action = positional.get(0);
        int expected = action.equals("priority") ? 3 : 2;
        if (positional.size() != expected) {
            throw new SubmitCommand.UsageException(action.equals("priority") ? "give the job id and the new priority: priority JOB_ID N"
                    : "give one job id: " + action + " JOB_ID");
        }
        Integer priority = null;
        if (action.equals("priority")) {
            String n = positional.get(2);
            if (!n.matches("[0-9]{1,3}") || Integer.parseInt(n) > 100) {
                throw new SubmitCommand.UsageException("the priority is a whole number from 0 to 100, not '" + n + "'");
            }
            priority = Integer.parseInt(n);
        }
        String jobId = positional.get(1);
        if (!jobId.matches("[0-9A-Za-z-]{1,64}")) {
            throw new SubmitCommand.UsageException("'" + jobId + "' is not a job id");
        }
        return new Command(action, jobId, priority, coordinator, token);
    }
}
