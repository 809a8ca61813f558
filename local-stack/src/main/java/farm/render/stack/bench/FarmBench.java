package farm.render.stack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.credentials.ApiTokens;
import farm.render.core.identity.Ed25519;
import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.LocalStack;
import farm.render.stack.services.Database;
import farm.render.stack.services.FarmLayout;
import farm.render.stack.services.KafkaBroker;
import farm.render.stack.services.ObjectStore;
import farm.render.stack.services.Ports;
import farm.render.stack.services.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code ./farm bench farm}: load on one real coordinator (with real Kafka, PostgreSQL and S3Proxy)
 * from simulated workers and a harness verifier, then farm overhead with real workers against
 * {@code ./farm render}. Prints a table ending with {@code ingest=X/s dispatch_p99=Yms overhead=Z%}.
 */
public final class FarmBench {
    private final Map<String, String> opts;
    private final FarmLayout layout = FarmLayout.locate();
    private final List<String[]> rows = new ArrayList<>();

    private FarmBench(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                usage();
                return;
            }
            if (a.equals("--jfr") || a.equals("--skip-overhead") || a.equals("--skip-load")) {
                opts.put(a.substring(2), "true");
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opts.put(a.substring(2), args[++i]);
            } else {
                usage();
                System.exit(2);
            }
        }
        System.exit(new FarmBench(opts).run());
    }

    private static void usage() {
        System.out.println("""
                usage: ./farm bench farm [--workers N] [--threads T] [--frames F] [--latency-jobs J]
                                         [--overhead-frames K] [--overhead-size S] [--overhead-spp P]
                                         [--timeout-s T] [--skip-overhead] [--skip-load] [--jfr]
                                         [--coordinator-jar J] [--dir DIR]
                  --workers N          simulated worker identities, each registered with its own Ed25519 key (1000)
                  --threads T          share-consumer threads that stand for them (8)
                  --frames F           frames of the throughput job: 256x256 px in 32x32 tiles, 64 tiles a frame (60)
                  --latency-jobs J     one-frame jobs submitted a second apart to an idle farm for dispatch latency (10)
                  --overhead-frames K  frames rendered on the farm with 2 real workers and with ./farm render (3)
                  --overhead-size S    their width and height in pixels, 64x64 tiles (128)
                  --overhead-spp P     their samples per pixel (16)
                  --timeout-s T        how long the throughput job may take to be paid (240)
                  --coordinator-jar J  another build of the coordinator's quarkus-run.jar, for before/after comparisons
                  --jfr                record the coordinator with Java Flight Recorder (DIR/coordinator.jfr)
                  --dir DIR            work directory, wiped first (.farm/bench-farm)""");
    }

    private int integer(String name, int fallback) {
        return Integer.parseInt(opts.getOrDefault(name, String.valueOf(fallback)));
    }

    private int run() throws Exception {
        Path dir = Path.of(opts.getOrDefault("dir", layout.root().resolve(".farm/bench-farm").toString())).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        Instant started = Instant.now();
        System.out.println("farm benchmark  " + started + "  " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + loadAverage());
        double ingest = Double.NaN;
        long p99 = -1;
        double overhead = Double.NaN;
        if (!opts.containsKey("skip-load")) {
            LoadResult load = load(dir.resolve("load"));
            ingest = load.ingestPerSecond;
            p99 = load.p99;
        }
        if (!opts.containsKey("skip-overhead")) {
            overhead = overhead(dir.resolve("overhead"));
        }
        System.out.println();
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        for (String[] r : rows) {
            System.out.printf("| %s | %s |%n", r[0], r[1]);
        }
        System.out.println();
        System.out.printf("wall time %.0f s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        System.out.printf("ingest=%s/s dispatch_p99=%sms overhead=%s%%%n",
                Double.isNaN(ingest) ? "n/a" : String.format("%.0f", ingest),
                p99 < 0 ? "n/a" : String.valueOf(p99),
                Double.isNaN(overhead) ? "n/a" : String.format("%.1f", overhead * 100));
        return 0;
    }

    private void row(String measure, String value) {
        rows.add(new String[]{measure, value});
        System.out.println("  " + measure + ": " + value);
    }

    private record LoadResult(double ingestPerSecond, long p99) {
    }

    private LoadResult load(Path dir) throws Exception {
        int identities = integer("workers", 1000);
        int threads = integer("threads", 8);
        int frames = integer("frames", 60);
        int latencyJobs = integer("latency-jobs", 10);
        int port = ServiceProcess.freePort();
        try (Database db = step("PostgreSQL", () -> Database.start(dir.resolve("postgres")));
             ObjectStore s3 = step("S3Proxy", () -> ObjectStore.start(dir.resolve("s3"), layout.s3proxyJar()));
             KafkaBroker broker = step("Kafka broker", () -> KafkaBroker.start(dir.resolve("kafka"), layout.kafkaLib()));
             ServiceProcess coordinator = step("coordinator", () -> startCoordinator(dir, port, db, s3, broker))) {
            String url = "http://127.0.0.1:" + port;
            String token = LocalStack.operatorToken(dir);
            FarmClient client = new FarmClient(url, token);
            String digest = client.uploadScene(layout.sample("cornell-box/cornell-box.gltf")).path("digest").asText();

            System.out.println("registering " + identities + " simulated worker identities…");
            List<SimulatedWorkers.Identity> ids = new ArrayList<>(identities);
            for (int i = 0; i < identities; i++) {
                ids.add(new SimulatedWorkers.Identity("sim-" + i, Ed25519.generate()));
            }
            long t0 = System.nanoTime();
            register(url, token, ids);
            double registerSeconds = (System.nanoTime() - t0) / 1e9;
            row("worker identities registered (POST /api/v1/workers, 4 clients)",
                    String.format("%d in %.1f s (%.0f/s)", identities, registerSeconds, identities / registerSeconds));

            LatencyLog discard = new LatencyLog();
            try (HarnessVerifier verifier = new HarnessVerifier(broker.clientProperties());
                 SimulatedWorkers workers = new SimulatedWorkers(broker.clientProperties(), url, token, ids, discard)) {
                workers.start(threads);
                System.out.println("warming up: one job of one frame…");
                String warm = submit(client, digest, 1).path("id").asText();
                awaitPaid(db, warm, 64, Duration.ofSeconds(120));

                System.out.println("dispatch latency: " + latencyJobs + " one-frame jobs (64 tiles), one a second…");
                LatencyLog idle = new LatencyLog();
                workers.recordInto(idle);
                long before = workers.received();
                for (int j = 0; j < latencyJobs; j++) {
                    long next = System.nanoTime() + 1_000_000_000L;
                    submit(client, digest, 1);
                    sleepUntil(next);
                }
                awaitCount(() -> workers.received() - before >= 64L * latencyJobs, Duration.ofSeconds(60));
                workers.recordInto(discard);

                int tiles = frames * 64;
                System.out.println("throughput: one job of " + frames + " frames (" + tiles + " tiles)…");
                LatencyLog backlog = new LatencyLog();
                workers.recordInto(backlog);
                ProcessSampler cpu = new ProcessSampler(coordinator.pid());
                verifier.hold();
                long s0 = System.nanoTime();
                JsonNode job = submit(client, digest, frames);
                double submitSeconds = (System.nanoTime() - s0) / 1e9;
                String jobId = job.path("id").asText();
                Duration timeout = Duration.ofSeconds(integer("timeout-s", 240));
                awaitCount(() -> verifier.held() >= tiles, timeout);
                double workSeconds = (System.nanoTime() - s0) / 1e9;
                workers.recordInto(discard);
                System.out.println("  all " + tiles + " results in; releasing " + verifier.held() + " pass verdicts at once…");
                double cpu0 = cpu.cpuSeconds();
                long r0 = System.nanoTime();
                verifier.release();
                double peakRss = 0;
                long deadline = System.nanoTime() + timeout.toNanos();
                long paid = 0;
                long shown = System.nanoTime();
                while (System.nanoTime() < deadline) {
                    peakRss = Math.max(peakRss, cpu.rssMiB());
                    paid = paidCount(db, jobId);
                    if (paid >= tiles) {
                        break;
                    }
                    if (System.nanoTime() - shown > 5_000_000_000L) {
                        shown = System.nanoTime();
                        System.out.printf("  %d/%d tiles paid, %.0f tiles/s%n", paid, tiles, paid / ((shown - r0) / 1e9));
                    }
                    Thread.sleep(50); // sampling interval of the progress and memory readings
                }
                double wall = (System.nanoTime() - r0) / 1e9;
                double cpuUsed = cpu.cpuSeconds() - cpu0;
                Span span = paymentSpan(db, jobId);
                long entries = ledgerEntries(db, span);
                double spanRate = span.count > 1 ? (span.count - 1) / span.seconds : 0;
                // batches of payments share a transaction's timestamp, so the headline is the harness's own clock
                double ingestRate = paid / wall;
                row("dispatch: tickets published by one job submission",
                        String.format("%d tickets in %.2f s = %.0f tickets/s (POST /api/v1/jobs: insert, publish)",
                                tiles, submitSeconds, tiles / submitSeconds));
                row("dispatch latency to the claim's answer, idle farm (" + idle.count() + " records)",
                        String.format("p50 %d ms, p99 %d ms", idle.quantile(0.5), idle.quantile(0.99)));
                row("dispatch latency under the throughput job's backlog (" + backlog.count() + " records)",
                        String.format("p50 %d ms, p99 %d ms", backlog.quantile(0.5), backlog.quantile(0.99)));
                row("simulated workers: tickets taken and claimed, tile PUT, signed result published",
                        String.format("%d tiles in %.1f s = %.0f/s (%d failures, %d refused)", tiles, workSeconds, tiles / workSeconds,
                                workers.failures(), workers.refused()));
                row("claims (one request per poll batch of up to " + SimulatedWorkers.CLAIM_BATCH + " tickets: one read, one insert, sign and presign each)",
                        workers.claimSummary());
                row("pass verdicts then published at once by the harness", String.valueOf(tiles));
                row("tiles paid (tile_payments rows of the job)", String.format("%d of %d, %.1f s after the release", paid, tiles, wall));
                row("ingest + payment rate, release of the verdicts to the last payment seen (50 ms polls)",
                        String.format("%.0f tiles/s over %.2f s", ingestRate, wall));
                row("ingest + payment rate, first to last payment (ledger timestamps)",
                        String.format("%.0f tiles/s over %.2f s", spanRate, span.seconds));
                row("ledger entries per second over the same span", String.format("%.0f/s (%d entries)", entries / Math.max(span.seconds, 1e-3), entries));
                double cores = cpuUsed / wall;
                row("coordinator CPU while it drained the verdicts",
                        String.format("%.1f CPU s in %.1f s = %.2f cores (%.2f cores per 1,000 simulated workers)",
                                cpuUsed, wall, cores, cores * 1000.0 / identities));
                row("coordinator RSS, peak while draining", String.format("%.0f MiB (%.0f MiB per 1,000 simulated workers; -Xmx512m)",
                        peakRss, peakRss * 1000.0 / identities));
                row("simulated workers", identities + " identities on " + threads + " share consumers");
                return new LoadResult(ingestRate, idle.quantile(0.99));
            }
        }
    }

    private ServiceProcess startCoordinator(Path dir, int port, Database db, ObjectStore s3, KafkaBroker broker) {
        List<String> jvm = new java.util.ArrayList<>(opts.containsKey("jfr")
                ? List.of("-XX:FlightRecorderOptions:stackdepth=256", // deep enough to see who called the hot frames
                "-XX:StartFlightRecording=filename=" + dir.resolve("coordinator.jfr") + ",settings=profile,dumponexit=true")
                : List.of());
        // the harness holds every verdict until all results are in, so the dispatch window must not hold tiles back
        jvm.addAll(List.of("-Dfarm.dispatch.window-per-job=0", "-Dfarm.dispatch.window-per-tier=0"));
        List<String> cmd = LocalStack.coordinatorCommand(Path.of(opts.getOrDefault("coordinator-jar", layout.coordinatorJar().toString())),
                port, broker.bootstrapServers(), 30_000, jvm);
        Map<String, String> env = new java.util.HashMap<>(LocalStack.coordinatorEnvironment(LocalStack.operatorToken(dir), db, s3));
        env.putAll(broker.loginEnvironment());
        env.putAll(LocalStack.keyEnvironment(dir));
        ServiceProcess p = ServiceProcess.start("coordinator", cmd, dir.resolve("logs/coordinator.log"), env);
        try {
            p.awaitReady(() -> ServiceProcess.isHealthy("http://127.0.0.1:" + port + "/q/health/ready"), Duration.ofSeconds(240));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private static void register(String url, String token, List<SimulatedWorkers.Identity> ids) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (SimulatedWorkers.Identity id : ids) {
                String body = "{\"workerId\":\"" + id.workerId() + "\",\"publicKey\":\"" + id.publicKey() + "\"}";
                answers.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/workers"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .header("Authorization", ApiTokens.bearer(token))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> f : answers) {
                int status = f.get();
                if (status / 100 != 2) {
                    throw new IOException("worker registration answered " + status);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static JsonNode submit(FarmClient client, String digest, int frames) throws IOException {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("sceneDigest", digest);
        job.put("width", 256);
        job.put("height", 256);
        job.put("spp", 4);
        job.put("maxBounces", 4);
        job.put("tileSize", 32);
        job.put("frameStart", 0);
        job.put("frameEnd", frames - 1);
        job.put("tier", "standard");
        return client.createJob(job);
    }

    private record Span(long count, double seconds, java.sql.Timestamp first, java.sql.Timestamp last) {
    }

    private static Connection connect(Database db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    private static long paidCount(Database db, String jobId) throws SQLException {
        try (Connection c = connect(db);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM tile_payments WHERE job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static Span paymentSpan(Database db, String jobId) throws SQLException {
        try (Connection c = connect(db);
             PreparedStatement s = c.prepareStatement("SELECT count(*), min(e.created_at), max(e.created_at) FROM tile_payments p "
                     + "JOIN ledger_entries e ON e.id = p.entry_id WHERE p.job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                java.sql.Timestamp first = r.getTimestamp(2);
                java.sql.Timestamp last = r.getTimestamp(3);
                double seconds = first == null ? 0 : (last.getTime() - first.getTime()) / 1000.0
                        + (last.getNanos() % 1_000_000 - first.getNanos() % 1_000_000) / 1e9;
                return new Span(r.getLong(1), seconds, first, last);
            }
        }
    }

    private static long ledgerEntries(Database db, Span span) throws SQLException {
        if (span.first == null) {
            return 0;
        }
        try (Connection c = connect(db);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM ledger_entries WHERE created_at BETWEEN ? AND ?")) {
            s.setTimestamp(1, span.first);
            s.setTimestamp(2, span.last);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static void awaitPaid(Database db, String jobId, long tiles, Duration timeout) throws Exception {
        awaitCount(() -> {
            try {
                return paidCount(db, jobId) >= tiles;
            } catch (SQLException e) {
                return false;
            }
        }, timeout);
    }

    private static void awaitCount(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the farm did not get there within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100); // polling interval of a progress check
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** Farm wall time of a multi-frame job with two real workers over the same frames rendered one by one locally, minus one. */
    private double overhead(Path dir) throws Exception {
        int frames = integer("overhead-frames", 3);
        int size = integer("overhead-size", 128);
        int spp = integer("overhead-spp", 16);
        int bounces = 4;
        Path scene = layout.sample("cornell-box/cornell-box.gltf");
        double farmSeconds;
        int workerCount = 2;
        try (LocalStack stack = LocalStack.start(layout, new LocalStack.Options(dir, workerCount, 30_000), s -> System.out.println("  " + s))) {
            FarmClient client = new FarmClient(stack.coordinatorUrl(), stack.operatorToken());
            String digest = client.uploadScene(scene).path("digest").asText();
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("sceneDigest", digest);
            job.put("width", size);
            job.put("height", size);
            job.put("spp", spp);
            job.put("maxBounces", bounces);
            job.put("tileSize", 64);
            job.put("frameStart", 0);
            job.put("frameEnd", frames - 1);
            job.put("tier", "standard");
            long t0 = System.nanoTime();
            String id = client.createJob(job).path("id").asText();
            JsonNode status = client.job(id);
            while (status.path("state").asText().equals("RUNNING")) {
                Thread.sleep(100); // polling the job's state
                status = client.job(id);
            }
            farmSeconds = (System.nanoTime() - t0) / 1e9;
            if (!status.path("state").asText().equals("COMPLETED")) {
                throw new IllegalStateException("overhead job ended " + status.path("state").asText());
            }
        }
        double localSeconds = 0;
        for (int f = 0; f < frames; f++) {
            Path out = dir.resolve("local-frame" + f + ".png");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(ServiceProcess.java(), "-jar", layout.workerJar().toString(), "render", scene.toString(),
                    "--frame", String.valueOf(f), "--spp", String.valueOf(spp), "--width", String.valueOf(size),
                    "--height", String.valueOf(size), "--bounces", String.valueOf(bounces), "-o", out.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("local-render.log").toFile()).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("./farm render failed: see " + dir.resolve("local-render.log"));
            }
            localSeconds += (System.nanoTime() - t0) / 1e9;
        }
        double overhead = farmSeconds / localSeconds - 1;
        row("farm: " + frames + " frames " + size + "x" + size + ", " + spp + " spp, " + bounces + " bounces, 64x64 tiles, "
                        + workerCount + " real workers + verifier", String.format("%.1f s, submission to COMPLETED", farmSeconds));
        row("./farm render, the same frames one after another", String.format("%.1f s (each a fresh JVM: start, Vulkan init, scene import)", localSeconds));
        row("farm overhead (farm / local - 1)", String.format("%.1f%%", overhead * 100));
        return overhead;
    }

    private interface Start<T> {
        T get() throws Exception;
    }

    private static <T> T step(String what, Start<T> start) throws Exception {
        long t0 = System.nanoTime();
        System.out.println("starting " + what + "…");
        T t = start.get();
        System.out.printf("  %s ready (%.1f s)%n", what, (System.nanoTime() - t0) / 1e9);
        return t;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
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
