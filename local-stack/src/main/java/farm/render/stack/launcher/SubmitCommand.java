package farm.render.stack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.cli.CommandLines;
import farm.render.core.cli.WholeNumbers;
import farm.render.core.credentials.ApiTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./farm submit SCENE [options]}: uploads a scene, prints its summary and the quote, launches the job,
 * and with {@code --wait} follows it to the end; {@code --download DIR} approves every frame and writes it as PNG or
 * EXR ({@code --format}). Exit codes
 * are for scripts: see {@link Exit}.
 */
@Command(name = "./farm submit", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {
                "./farm submit SCENE [--frames R] [--spp S] [--width W --height H] [--bounces B] [--tile-size T]",
                "                     [--clamp-indirect C] [--tier priority|standard|economy] [--wait] [--download DIR]",
                "                     [--format png|exr] [--dry-run] [--coordinator URL] [--token T] [--idempotency-key K]",
                "                     [--timeout MINUTES]"},
        description = "studios: upload a scene to a running farm, print its summary and quote, launch the job, follow it,"
                + " download its frames",
        footer = {"%nexit codes: 0 done, 2 usage, 3 invalid scene, 4 insufficient funds, 5 job failed, 6 coordinator unreachable,",
                "            7 no API token or the coordinator refused it"})
public final class SubmitCommand implements Callable<Integer> {
    /** What a script can act on; {@code ./farm job} adds UNKNOWN_JOB and JOB_FINISHED. */
    public enum Exit {
        DONE(0), FAILED(1), USAGE(2), INVALID_SCENE(3), INSUFFICIENT_FUNDS(4), JOB_FAILED(5), UNREACHABLE(6), UNAUTHENTICATED(7),
        UNKNOWN_JOB(8), JOB_FINISHED(9);

        public final int code;

        Exit(int code) {
            this.code = code;
        }

        /** The exit with {@code code}; FAILED is an unexpected error, its stack trace on stderr. */
        static Exit of(int code) {
            for (Exit exit : values()) {
                if (exit.code == code) {
                    return exit;
                }
            }
            return FAILED;
        }
    }

    @Mixin
    private Options options;
    @Spec
    private CommandSpec spec;

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

    /** The parsed command line; {@link #check} finds the mistakes no single option shows. */
    static final class Options {
        @Parameters(paramLabel = "SCENE", arity = "0..1",
                description = "the scene file: glTF, GLB, OBJ, FBX or another format Assimp reads")
        Path scene;
        @Option(names = "--frames", paramLabel = "R",
                description = "frames to render: \"1-100\", \"1-100x5\" (every fifth), \"3,7,9-12\" (default 0)")
        String frames = "0";
        @Option(names = "--spp", paramLabel = "S", description = "samples per pixel (default 64)")
        int spp = 64;
        @Option(names = "--width", paramLabel = "W", description = "frame width in pixels, given with --height (default 512)")
        Integer width;
        @Option(names = "--height", paramLabel = "H", description = "frame height in pixels, given with --width (default 512)")
        Integer height;
        @Option(names = "--bounces", paramLabel = "B", description = "most bounces of a path (default: the coordinator's)")
        Integer bounces;
        @Option(names = "--tile-size", paramLabel = "T", description = "tile width and height in pixels (default: the coordinator's)")
        Integer tileSize;
        @Option(names = "--clamp-indirect", paramLabel = "C",
                description = "largest radiance one indirect light sample may add (fewer fireflies); 0, the default, is off")
        Float clampIndirect;
        @Option(names = "--tier", paramLabel = "priority|standard|economy", description = "the price tier (default standard)")
        String tier = "standard";
        @Option(names = "--wait", description = "follow the job to its end with a progress bar")
        boolean waitForEnd;
        @Option(names = "--download", paramLabel = "DIR",
                description = "wait, then approve every frame and write it as DIR/<scene>-<frame>.png")
        Path download;
        @Option(names = "--format", paramLabel = "png|exr",
                description = "what --download writes: 8-bit sRGB PNG (default) or linear float OpenEXR")
        String format;
        @Option(names = "--dry-run", description = "upload and validate the scene, print its summary and the quote; launch nothing")
        boolean dryRun;
        @Option(names = "--coordinator", paramLabel = "URL",
                description = "the coordinator (default: $FARM_URL, else the farm started by ./farm up)")
        String coordinator;
        @Option(names = "--token", paramLabel = "T", description = "API token (default: $FARM_TOKEN, else ~/.config/render-farm/token,"
                + " else the operator token of the farm started by ./farm up)")
        String token;
        @Option(names = "--idempotency-key", paramLabel = "K",
                description = "launching again with the same key finds the same job instead of a new one")
        String idempotencyKey;
        @Option(names = "--timeout", paramLabel = "MINUTES", description = "how long --wait and --download follow the job (default 360)")
        int timeoutMinutes = 360;

        boolean waitForEnd() {
            return waitForEnd;
        }

        /** @throws ParameterException for a missing scene or options that exclude each other */
        void check(CommandSpec spec) {
            if (scene == null) {
                throw CommandLines.mistake(spec, "which scene? give its file as the first argument");
            }
            if (!Files.isRegularFile(scene)) {
                throw CommandLines.mistake(spec, "no such file: " + scene);
            }
            if (clampIndirect != null && (!(clampIndirect >= 0) || !Float.isFinite(clampIndirect))) {
                throw CommandLines.mistake(spec, "--clamp-indirect must be 0 (off) or a positive number, not '" + clampIndirect + "'");
            }
            if ((width == null) != (height == null)) {
                throw CommandLines.mistake(spec, "give --width and --height together");
            }
            if (format != null && !List.of("png", "exr").contains(format)) {
                throw CommandLines.mistake(spec, "--format is png or exr, not '" + format + "'");
            }
            if (format != null && download == null) {
                throw CommandLines.mistake(spec, "--format says what --download writes; give --download DIR too");
            }
            if (dryRun && (waitForEnd || download != null)) {
                throw CommandLines.mistake(spec, "--dry-run launches nothing, so there is nothing to --wait for or --download");
            }
        }
    }

    /** Runs {@code ./farm submit} with {@code args}; what a script would see as the exit status. */
    public Exit run(String... args) {
        options = new Options(); // each run starts from the defaults
        return Exit.of(commandLine(this).execute(args));
    }

    /** Every whole number submit takes (samples, sizes, bounces, minutes) is 0 or more; the coordinator checks the rest. */
    private static CommandLine commandLine(SubmitCommand command) {
        CommandLine line = CommandLines.of(command, command.out, command.err);
        line.registerConverter(Integer.class, new WholeNumbers.NotNegative());
        line.registerConverter(Integer.TYPE, new WholeNumbers.NotNegative());
        return line;
    }

    @Override
    public Integer call() {
        options.check(spec);
        return submit(options).code;
    }

    private Exit submit(Options o) {
        String url;
        try {
            url = coordinatorUrl(o.coordinator, env);
        } catch (IOException e) {
            err.println("farm submit: " + e.getMessage());
            return Exit.UNREACHABLE;
        }
        Optional<String> token = ApiTokens.resolve(o.token, env);
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
        byte[] bytes = Files.readAllBytes(o.scene);
        String filename = o.scene.getFileName().toString();
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
        if (scene.path("instances").asInt() > 0) {
            out.printf("scene %s: %d instances show %d triangles; the package stores each mesh once%n", filename,
                    scene.path("instances").asInt(), scene.path("instancedTriangles").asLong());
        }
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
        out.printf(Locale.ROOT, "device memory: %.1f MiB per tile (workers with less leave the job to larger devices)%n",
                quote.path("deviceMemoryBytes").asLong() / (double) (1L << 20));
        if (!quote.path("affordable").asBoolean(true)) {
            err.printf("farm submit: insufficient funds: the balance is %s µtokens and launching escrows %s%n",
                    quote.path("balance").asText(), quote.path("escrow").asText());
            return Exit.INSUFFICIENT_FUNDS;
        }
        if (o.dryRun) {
            out.println("dry run: nothing launched");
            return Exit.DONE;
        }

        FarmClient.Submitted submitted;
        try {
            submitted = client.createJob(job, o.idempotencyKey);
        } catch (FarmClient.FarmApiException e) {
            return refused(e);
        }
        String jobId = submitted.job().path("id").asText();
        out.printf("job %s %s: %d tiles, escrowed %s µtokens%n", jobId,
                submitted.created() ? "launched" : "already launched with this idempotency key",
                submitted.job().path("tiles").path("total").asInt(), submitted.job().path("ledger").path("escrowed").asText());
        if (!o.waitForEnd && o.download == null) {
            return Exit.DONE;
        }

        Duration timeout = Duration.ofMinutes(o.timeoutMinutes);
        JsonNode done = JobRun.follow(client, jobId, timeout, out);
        String state = done.path("state").asText();
        if (!state.equals("COMPLETED")) {
            err.println("farm submit: job " + jobId + " ended " + state
                    + (done.hasNonNull("failure") ? ": " + done.path("failure").asText() : ""));
            return Exit.JOB_FAILED;
        }
        if (o.download != null) {
            Path dir = o.download;
            Files.createDirectories(dir);
            String stem = filename.contains(".") ? filename.substring(0, filename.lastIndexOf('.')) : filename;
            String format = o.format == null ? "png" : o.format;
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

    /** Parses and checks a command line without running it. */
    static Options parse(String[] args) {
        SubmitCommand command = new SubmitCommand(System.out, System.err, Map.of());
        command.options = new Options();
        commandLine(command).parseArgs(args);
        command.options.check(command.spec);
        return command.options;
    }

    static Map<String, Object> jobRequest(String digest, Options o) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("sceneDigest", digest);
        job.put("width", o.width == null ? 512 : o.width);
        job.put("height", o.height == null ? 512 : o.height);
        job.put("spp", o.spp);
        job.put("frames", o.frames);
        if (o.bounces != null) {
            job.put("maxBounces", o.bounces);
        }
        if (o.tileSize != null) {
            job.put("tileSize", o.tileSize);
        }
        if (o.clampIndirect != null) {
            job.put("clampIndirect", o.clampIndirect);
        }
        job.put("tier", o.tier);
        return job;
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
