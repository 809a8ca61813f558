package farm.render.stack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.credentials.ApiTokens;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./farm submit SCENE [options]}: uploads a scene, prints its summary and the quote, launches the job,
 * and with {@code --wait} follows it to the end; {@code --download DIR} approves every frame and writes it as PNG or
 * EXR ({@code --format}). Exit codes
 * are for scripts: see {@link Exit}.
 */
public final class SubmitCommand {
    /** What a script can act on; {@code ./farm job} adds UNKNOWN_JOB and JOB_FINISHED. */
    public enum Exit {
        DONE(0), USAGE(2), INVALID_SCENE(3), INSUFFICIENT_FUNDS(4), JOB_FAILED(5), UNREACHABLE(6), UNAUTHENTICATED(7),
        UNKNOWN_JOB(8), JOB_FINISHED(9);

        public final int code;

        Exit(int code) {
            this.code = code;
        }
    }

    static final String USAGE = """
            usage: ./farm submit SCENE [--frames R] [--spp S] [--width W --height H] [--bounces B] [--tile-size T] [--clamp-indirect C]
                                 [--tier priority|standard|economy] [--wait] [--download DIR] [--format png|exr] [--dry-run]
                                 [--coordinator URL] [--token T] [--idempotency-key K] [--timeout MINUTES]

              --frames R            frames to render: "1-100", "1-100x5" (every fifth), "3,7,9-12" (default 0)
              --clamp-indirect C    largest radiance one indirect light sample may add (fewer fireflies); 0, the default, is off
              --dry-run             upload and validate the scene, print its summary and the quote; launch nothing
              --wait                follow the job to its end with a progress bar
              --download DIR        wait, then approve every frame and write it as DIR/<scene>-<frame>.png
              --format png|exr      what --download writes: 8-bit sRGB PNG (default) or linear float OpenEXR
              --coordinator URL     the coordinator (default: $FARM_URL, else the farm started by ./farm up)
              --token T             API token (default: $FARM_TOKEN, else ~/.config/render-farm/token,
                                    else the operator token of the farm started by ./farm up)
              --idempotency-key K   launching again with the same key finds the same job instead of a new one

            exit codes: 0 done, 2 usage, 3 invalid scene, 4 insufficient funds, 5 job failed, 6 coordinator unreachable,
                        7 no API token or the coordinator refused it
            """;

    private static final Set<String> FLAGS = Set.of("wait", "dry-run");
    private static final Set<String> OPTIONS = Set.of("frames", "spp", "width", "height", "bounces", "tile-size", "clamp-indirect", "tier",
            "download", "format", "coordinator", "idempotency-key", "timeout", "token");

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    public SubmitCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new SubmitCommand(System.out, System.err, System.getenv()).run(args).code);
    }

    /** A mistake in the command line; the message says which. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The parsed command line. */
    record Options(Path scene, Map<String, String> values, boolean waitForEnd, boolean dryRun) {
        String get(String name) {
            return values.get(name);
        }
    }

    public Exit run(String... args) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            if (e.getMessage().equals("help")) {
                out.print(USAGE);
                return Exit.DONE;
            }
            err.println("farm submit: " + e.getMessage());
            err.print(USAGE);
            return Exit.USAGE;
        }
        String url;
        try {
            url = coordinatorUrl(o);
        } catch (IOException e) {
            err.println("farm submit: " + e.getMessage());
            return Exit.UNREACHABLE;
        }
        java.util.Optional<String> token = ApiTokens.resolve(o.get("token"), env);
        if (token.isEmpty()) {
            err.println("farm submit: no API token: pass --token T, set " + ApiTokens.ENV + ", or put one in "
                    + ApiTokens.userFile(env) + " (create one in the web UI under API tokens)");
            return Exit.UNAUTHENTICATED;
        }
        try {
            return submit(new FarmClient(url, token.get()), o);
        } catch (FarmClient.FarmApiException e) {
            if (e.status() == 401) {
                err.println("farm submit: the coordinator at " + url + " refused the API token: " + e.problem().path("detail").asText());
                return Exit.UNAUTHENTICATED;
            }
            err.println("farm submit: the coordinator at " + url + " answered " + e.getMessage());
            return e.status() >= 500 ? Exit.UNREACHABLE : Exit.USAGE;
        } catch (IOException e) {
            err.println("farm submit: cannot reach the coordinator at " + url + ": " + describe(e));
            return Exit.UNREACHABLE;
        }
    }

    private Exit submit(FarmClient client, Options o) throws IOException {
        byte[] bytes = Files.readAllBytes(o.scene());
        String filename = o.scene().getFileName().toString();
        JsonNode scene;
        try {
            scene = client.uploadScene(filename, bytes);
        } catch (FarmClient.FarmApiException e) {
            if (e.status() == 401 || e.status() == 429) {
                throw e;
            }
            if (e.status() >= 400 && e.status() < 500) {
                err.println("farm submit: " + filename + " was refused: " + e.problem().path("detail").asText(e.getMessage()));
                return Exit.INVALID_SCENE;
            }
            throw e;
        }
        out.printf("scene %s: %d meshes, %d triangles, %d materials, %d textures, %d lights, %d cameras, unsupported: %s (digest %s)%n",
                filename, scene.path("meshes").asInt(), scene.path("triangles").asInt(), scene.path("materials").asInt(),
                scene.path("textures").asInt(), scene.path("lights").asInt(), scene.path("cameras").asInt(),
                unsupported(scene.path("unsupported")), scene.path("digest").asText());
        JsonNode animation = scene.path("animation");
        if (animation.path("frames").asInt() > 0) {
            double rate = animation.path("frameRate").asDouble();
            out.printf("scene %s: animation: frames %d-%d (%d frames) at %s fps%n", filename, animation.path("firstFrame").asInt(),
                    animation.path("lastFrame").asInt(), animation.path("frames").asInt(),
                    rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate));
        }

        Map<String, Object> job = jobRequest(scene.path("digest").asText(), o);
        JsonNode quote;
        try {
            quote = client.quote(job);
        } catch (FarmClient.FarmApiException e) {
            return refused(e);
        }
        out.printf("quote: about %s µtokens (%s to %s), escrow %s; %d frame(s) [%s] × %d tiles at %d×%d, %d spp, %s tier%n",
                quote.path("estimate").asText(), quote.path("low").asText(), quote.path("high").asText(),
                quote.path("escrow").asText(), quote.path("frameCount").asInt(), quote.path("frameList").asText(),
                quote.path("tilesPerFrame").asInt(), quote.path("width").asInt(), quote.path("height").asInt(),
                quote.path("spp").asInt(), quote.path("tier").asText());
        if (!quote.path("affordable").asBoolean(true)) {
            err.printf("farm submit: insufficient funds: the balance is %s µtokens and launching escrows %s%n",
                    quote.path("balance").asText(), quote.path("escrow").asText());
            return Exit.INSUFFICIENT_FUNDS;
        }
        if (o.dryRun()) {
            out.println("dry run: nothing launched");
            return Exit.DONE;
        }

        FarmClient.Submitted submitted;
        try {
            submitted = client.createJob(job, o.get("idempotency-key"));
        } catch (FarmClient.FarmApiException e) {
            return refused(e);
        }
        String jobId = submitted.job().path("id").asText();
        out.printf("job %s %s: %d tiles, escrowed %s µtokens%n", jobId,
                submitted.created() ? "launched" : "already launched with this idempotency key",
                submitted.job().path("tiles").path("total").asInt(), submitted.job().path("ledger").path("escrowed").asText());
        if (!o.waitForEnd() && o.get("download") == null) {
            return Exit.DONE;
        }

        Duration timeout = Duration.ofMinutes(Long.parseLong(o.values().getOrDefault("timeout", "360")));
        JsonNode done = JobRun.follow(client, jobId, timeout, out);
        String state = done.path("state").asText();
        if (!state.equals("COMPLETED")) {
            err.println("farm submit: job " + jobId + " ended " + state
                    + (done.hasNonNull("failure") ? ": " + done.path("failure").asText() : ""));
            return Exit.JOB_FAILED;
        }
        if (o.get("download") != null) {
            Path dir = Path.of(o.get("download"));
            Files.createDirectories(dir);
            String stem = filename.contains(".") ? filename.substring(0, filename.lastIndexOf('.')) : filename;
            String format = o.values().getOrDefault("format", "png");
            for (JsonNode frame : done.path("frames")) {
                int n = frame.path("frame").asInt();
                // asking for the frames is accepting them: full frames are served once approved
                client.approve(jobId, n);
                Path file = dir.resolve(String.format("%s-%04d.%s", stem, n, format));
                Files.write(file, client.frame(jobId, n, format));
                out.println(file.toAbsolutePath());
            }
        }
        JsonNode ledger = done.path("ledger");
        out.printf("job %s completed: paid %s µtokens, fees %s, refunded %s%n", jobId, ledger.path("paid").asText(),
                ledger.path("fees").asText(), ledger.path("refunded").asText());
        return Exit.DONE;
    }

    /** A refused quote or launch: funds, an unknown scene, or a request the coordinator calls invalid. */
    private Exit refused(FarmClient.FarmApiException e) throws FarmClient.FarmApiException {
        if (e.status() == 401 || e.status() == 429) {
            throw e;
        }
        String type = e.problem().path("type").asText();
        if (e.status() == 402 || type.endsWith("/insufficient-funds")) {
            err.println("farm submit: insufficient funds: " + e.problem().path("detail").asText());
            return Exit.INSUFFICIENT_FUNDS;
        }
        if (type.endsWith("/unknown-scene")) {
            err.println("farm submit: " + e.problem().path("detail").asText());
            return Exit.INVALID_SCENE;
        }
        if (e.status() >= 400 && e.status() < 500) {
            err.println("farm submit: the job was refused: " + e.problem().path("detail").asText());
            for (JsonNode reason : e.problem().path("errors")) {
                err.println("  - " + reason.asText());
            }
            return Exit.USAGE;
        }
        throw e;
    }

    static Options parse(String[] args) throws UsageException {
        Path scene = null;
        Map<String, String> values = new LinkedHashMap<>();
        boolean wait = false;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new UsageException("help");
            }
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (FLAGS.contains(name) && value == null) {
                    wait |= name.equals("wait");
                    dryRun |= name.equals("dry-run");
                } else if (OPTIONS.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    values.put(name, value);
                } else {
                    throw new UsageException("unknown option " + a);
                }
            } else if (scene == null) {
                scene = Path.of(a);
            } else {
                throw new UsageException("one scene at a time; got " + scene + " and " + a);
            }
        }
        if (scene == null) {
            throw new UsageException("which scene? give its file as the first argument");
        }
        if (!Files.isRegularFile(scene)) {
            throw new UsageException("no such file: " + scene);
        }
        for (String n : List.of("spp", "width", "height", "bounces", "tile-size", "timeout")) {
            if (values.containsKey(n) && !values.get(n).matches("[0-9]{1,9}")) {
                throw new UsageException("--" + n + " must be a whole number, not '" + values.get(n) + "'");
            }
        }
        if (values.containsKey("clamp-indirect") && !values.get("clamp-indirect").matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
            throw new UsageException("--clamp-indirect must be 0 (off) or a positive number, not '" + values.get("clamp-indirect") + "'");
        }
        if (values.containsKey("width") != values.containsKey("height")) {
            throw new UsageException("give --width and --height together");
        }
        if (values.containsKey("format") && !List.of("png", "exr").contains(values.get("format"))) {
            throw new UsageException("--format is png or exr, not '" + values.get("format") + "'");
        }
        if (values.containsKey("format") && !values.containsKey("download")) {
            throw new UsageException("--format says what --download writes; give --download DIR too");
        }
        if (dryRun && (wait || values.containsKey("download"))) {
            throw new UsageException("--dry-run launches nothing, so there is nothing to --wait for or --download");
        }
        return new Options(scene, values, wait, dryRun);
    }

    static Map<String, Object> jobRequest(String digest, Options o) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("sceneDigest", digest);
        job.put("width", Integer.parseInt(o.values().getOrDefault("width", "512")));
        job.put("height", Integer.parseInt(o.values().getOrDefault("height", "512")));
        job.put("spp", Integer.parseInt(o.values().getOrDefault("spp", "64")));
        job.put("frames", o.values().getOrDefault("frames", "0"));
        if (o.get("bounces") != null) {
            job.put("maxBounces", Integer.parseInt(o.get("bounces")));
        }
        if (o.get("tile-size") != null) {
            job.put("tileSize", Integer.parseInt(o.get("tile-size")));
        }
        if (o.get("clamp-indirect") != null) {
            job.put("clampIndirect", Float.parseFloat(o.get("clamp-indirect")));
        }
        job.put("tier", o.values().getOrDefault("tier", "standard"));
        return job;
    }

    String coordinatorUrl(Options o) throws IOException {
        return coordinatorUrl(o.get("coordinator"), env);
    }

    /** {@code --coordinator} (null when not given), else {@code $FARM_URL}, else the URL a running {@code ./farm up} wrote. */
    static String coordinatorUrl(String flag, Map<String, String> env) throws IOException {
        if (flag != null) {
            return flag;
        }
        String fromEnv = env.get("FARM_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        Path dir = env.get("FARM_DIR") != null ? Path.of(env.get("FARM_DIR"))
                : Path.of(env.getOrDefault("FARM_ROOT", ".")).resolve(".farm");
        Path urlFile = dir.resolve("stack.url");
        if (Files.isRegularFile(urlFile)) {
            String url = Files.readString(urlFile).strip();
            if (!url.isEmpty()) {
                return url;
            }
        }
        throw new IOException("no coordinator to submit to: start one with ./farm up, or pass --coordinator URL or set FARM_URL");
    }

    private static String unsupported(JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        list.forEach(n -> sb.append(sb.length() == 0 ? "" : ", ").append(n.asText()));
        return sb.toString();
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
