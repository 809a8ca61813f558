package farm.render.stack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.credentials.ApiTokens;
import farm.render.stack.services.FarmLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
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
public final class StackMain {
    private StackMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: StackMain up|demo [--dir DIR] [--workers N] [--lock-ms MS]");
            System.exit(2);
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                fail("expected --option value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        FarmLayout layout = FarmLayout.locate();
        Path dir = Path.of(opts.getOrDefault("dir", layout.root().resolve(".farm").toString())).toAbsolutePath();
        int workers = parseInt(opts.getOrDefault("workers", "1"), "--workers");
        long lockMs = parseInt(opts.getOrDefault("lock-ms", "30000"), "--lock-ms");
        switch (args[0]) {
            case "up" -> up(layout, new LocalStack.Options(dir, workers, lockMs));
            case "demo" -> System.exit(demo(layout, new LocalStack.Options(dir.resolve("demo"), workers, lockMs), dir));
            default -> fail("unknown command " + args[0]);
        }
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

    private static int parseInt(String value, String name) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            fail(name + " must be a number");
            return 0;
        }
    }

    private static void fail(String message) {
        System.err.println("farm: " + message);
        System.exit(2);
    }
}
