package farm.render.stack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.cli.CommandLines;
import farm.render.core.credentials.ApiTokens;
import farm.render.stack.services.FarmLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The local stack's command line, called by {@code ./farm}:
 * <ul>
 *   <li>{@code up [--dir D] [--workers N]}: starts the farm and keeps it running until stopped
 *       (SIGTERM or Ctrl-C); writes {@code D/stack.url} once everything is healthy.</li>
 *   <li>{@code demo [--dir D] [--workers N]}: starts a fresh farm, renders the Cornell box through it,
 *       prints the absolute path of the frame PNG, stops everything.</li>
 * </ul>
 */
@Command(name = "./farm", mixinStandardHelpOptions = true, description = "the local stack: the whole farm on this machine")
public final class StackMain implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", scope = ScopeType.INHERIT, description = "the farm's data directory (default: .farm)")
    private Path dir;
    @Option(names = "--workers", paramLabel = "N", scope = ScopeType.INHERIT, description = "workers to start (default: 1)")
    private int workers = 1;
    @Option(names = "--lock-ms", paramLabel = "MS", scope = ScopeType.INHERIT,
            description = "how long a tile stays with a worker before it is offered again (default: 30000)")
    private long lockMs = 30_000;
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.of(new StackMain()).execute(args));
    }

    @Override
    public Integer call() {
        throw CommandLines.mistake(spec, "which command? up or demo");
    }

    @Command(name = "up", mixinStandardHelpOptions = true, customSynopsis = "./farm up [--workers N]",
            description = "start the farm in the background; prints http://127.0.0.1:PORT once healthy")
    int up() throws IOException, InterruptedException {
        FarmLayout layout = FarmLayout.locate();
        up(layout, new LocalStack.Options(workDir(layout), workers, lockMs));
        return 0;
    }

    @Command(name = "demo", mixinStandardHelpOptions = true, customSynopsis = "./farm demo [--workers N]",
            description = "start a fresh farm, render the Cornell box, print the PNG path, stop")
    int demo() throws IOException {
        FarmLayout layout = FarmLayout.locate();
        Path root = workDir(layout);
        return demo(layout, new LocalStack.Options(root.resolve("demo"), workers, lockMs), root);
    }

    private Path workDir(FarmLayout layout) {
        return (dir != null ? dir : layout.root().resolve(".farm")).toAbsolutePath();
    }

    private static void up(FarmLayout layout, LocalStack.Options options) throws IOException, InterruptedException {
        Path urlFile = options.workDir().resolve("stack.url");
        Files.deleteIfExists(urlFile);
        Files.createDirectories(options.workDir());
        CountDownLatch stopped = new CountDownLatch(1);
        LocalStack stack = LocalStack.start(layout, options, System.out::println);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the local stack…");
            stack.close();
            try {
                Files.deleteIfExists(urlFile);
            } catch (IOException ignored) {
                // the next start replaces it
            }
            stopped.countDown();
        }));
        System.out.println("operator API token (account local): " + options.workDir().toAbsolutePath().resolve(ApiTokens.LOCAL_STACK_FILE));
        Files.writeString(urlFile, stack.coordinatorUrl() + "\n");
        System.out.println("farm is up: " + stack.coordinatorUrl());
        stopped.await();
    }

    private static int demo(FarmLayout layout, LocalStack.Options options, Path outputRoot) throws IOException {
        deleteTree(options.workDir());
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        try (LocalStack stack = LocalStack.start(layout, options, System.out::println)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (finished.get()) {
                    return; // a normal exit: the stack was stopped on the way out
                }
                interrupted.set(true);
                System.out.println();
                System.out.println("interrupted: stopping every process the demo started…");
                stack.close();
            }));
            try {
                return runDemo(layout, stack, outputRoot, t0);
            } finally {
                finished.set(!interrupted.get());
            }
        } catch (IOException e) {
            if (interrupted.get()) {
                return 130;
            }
            throw e;
        }
    }

    private static int runDemo(FarmLayout layout, LocalStack stack, Path outputRoot, long t0) throws IOException {
        {
            FarmClient client = new FarmClient(stack.coordinatorUrl(), stack.operatorToken());
            Path scene = layout.sample("cornell-box/cornell-box.gltf");
            JsonNode uploaded = client.uploadScene(scene);
            System.out.println("uploaded " + scene.getFileName() + ": " + uploaded.path("triangles").asInt() + " triangles, digest "
                    + uploaded.path("digest").asText().substring(0, 12) + "…");
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("sceneDigest", uploaded.path("digest").asText());
            job.put("width", 256);
            job.put("height", 256);
            job.put("spp", 64);
            job.put("maxBounces", 8);
            job.put("tileSize", 64);
            job.put("tier", "standard");
            JsonNode created = client.createJob(job);
            String jobId = created.path("id").asText();
            System.out.println("job " + jobId + ": " + created.path("tiles").path("total").asInt() + " tiles, escrowed "
                    + created.path("ledger").path("escrowed").asLong() + " µtokens");
            JsonNode done = JobRun.follow(client, jobId, Duration.ofMinutes(10), System.out);
            if (!done.path("state").asText().equals("COMPLETED")) {
                System.err.println("job ended " + done.path("state").asText() + ": " + done);
                return 1;
            }
            Path out = outputRoot.resolve("output").resolve("cornell-box-" + jobId + "-frame0.png");
            Files.createDirectories(out.getParent());
            Files.write(out, client.framePng(jobId, 0));
            JsonNode ledger = done.path("ledger");
            System.out.printf("paid %d µtokens to workers, %d in fees, refunded %d; %.1f s in all%n",
                    ledger.path("paid").asLong(), ledger.path("fees").asLong(), ledger.path("refunded").asLong(),
                    (System.nanoTime() - t0) / 1e9);
            System.out.println(out.toAbsolutePath());
            return 0;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
