package farm.render.stack.launcher;

import farm.render.stack.services.Database;
import farm.render.stack.services.FarmLayout;
import farm.render.stack.services.KafkaBroker;
import farm.render.stack.services.ObjectStore;
import farm.render.stack.services.Ports;
import farm.render.stack.services.ServiceProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole farm on one machine: PostgreSQL, S3Proxy and a Kafka broker, then the coordinator, one
 * verifier and N workers, each on free ports, all under one work directory. A failure while starting
 * stops everything already started; {@link #close()} stops everything in reverse order.
 */
public final class LocalStack implements AutoCloseable {
    /** @param lockDurationMs how long a worker holds a tile before the broker hands it to another */
    public record Options(Path workDir, int workers, long lockDurationMs) {
        public Options {
            if (workers < 0 || workers > 64) {
                throw new IllegalArgumentException("--workers must be between 0 and 64");
            }
        }
    }

    private final FarmLayout layout;
    private final Options options;
    private final Consumer<String> progress;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<ServiceProcess> workers = new ArrayList<>();
    private String kafka;
    private String coordinatorUrl;
    private int workerSerial;

    private LocalStack(FarmLayout layout, Options options, Consumer<String> progress) {
        this.layout = layout;
        this.options = options;
        this.progress = progress;
    }

    public static LocalStack start(FarmLayout layout, Options options, Consumer<String> progress) {
        LocalStack stack = new LocalStack(layout, options, progress);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        Path dir = options.workDir().toAbsolutePath();
        Database db = step("PostgreSQL", () -> Database.start(dir.resolve("postgres")));
        ObjectStore s3 = step("S3Proxy", () -> ObjectStore.start(dir.resolve("s3"), layout.s3proxyJar()));
        KafkaBroker broker = step("Kafka broker", () -> KafkaBroker.start(dir.resolve("kafka"), layout.kafkaLib()));
        kafka = broker.bootstrapServers();

        int port = Ports.remembered(dir.resolve("coordinator"), "http");
        coordinatorUrl = "http://127.0.0.1:" + port;
        ServiceProcess coordinator = step("coordinator", () -> {
            ServiceProcess p = ServiceProcess.start("coordinator", List.of(ServiceProcess.java(), "-Xmx512m",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.datasource.jdbc.url=" + db.jdbcUrl(),
                    "-Dquarkus.datasource.username=" + db.username(),
                    "-Dquarkus.datasource.password=" + db.password(),
                    "-Dkafka.bootstrap.servers=" + kafka,
                    "-Dfarm.s3.endpoint=" + s3.endpoint(),
                    "-Dfarm.s3.access-key=" + s3.accessKey(),
                    "-Dfarm.s3.secret-key=" + s3.secretKey(),
                    "-Dfarm.dispatch.lock-duration-ms=" + options.lockDurationMs(),
                    "-jar", layout.coordinatorJar().toString()), dir.resolve("logs/coordinator.log"), Map.of());
            started.push(p);
            p.awaitReady(() -> healthy(coordinatorUrl + "/q/health/ready"), Duration.ofSeconds(120));
            return p;
        });
        ServiceProcess verifier = step("verifier", () -> {
            ServiceProcess p = ServiceProcess.start("verifier", List.of(ServiceProcess.java(), "-Xmx384m",
                    "-jar", layout.verifierJar().toString(), "--kafka", kafka, "--coordinator", coordinatorUrl),
                    dir.resolve("logs/verifier.log"), Map.of());
            started.push(p);
            p.awaitReady(() -> p.logContains("verifier consuming"), Duration.ofSeconds(60));
            return p;
        });
        for (int i = 0; i < options.workers(); i++) {
            startWorker();
        }
    }

    /** Starts one more worker and returns once it polls for tasks. */
    public ServiceProcess startWorker() {
        String id = "local-worker-" + (++workerSerial);
        return step("worker " + id, () -> {
            ServiceProcess p = ServiceProcess.start(id, List.of(ServiceProcess.java(), "-Xmx384m",
                    "-jar", layout.workerJar().toString(), "run", "--kafka", kafka, "--coordinator", coordinatorUrl, "--id", id,
                    "--key-file", options.workDir().toAbsolutePath().resolve("keys/" + id + ".key").toString()),
                    options.workDir().toAbsolutePath().resolve("logs/" + id + ".log"), Map.of());
            started.push(p);
            workers.add(p);
            p.awaitReady(() -> p.logContains("polling"), Duration.ofSeconds(60));
            return p;
        });
    }

    private <T extends AutoCloseable> T step(String what, java.util.function.Supplier<T> start) {
        long t0 = System.nanoTime();
        progress.accept("starting " + what + "…");
        T service = start.get();
        if (!started.contains(service)) {
            started.push(service);
        }
        progress.accept(String.format("  %s ready (%.1f s)", what, (System.nanoTime() - t0) / 1e9));
        return service;
    }

    private static boolean healthy(String url) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    public String coordinatorUrl() {
        return coordinatorUrl;
    }

    public String kafkaBootstrap() {
        return kafka;
    }

    public List<ServiceProcess> workers() {
        return List.copyOf(workers);
    }

    /** Every process the stack started, for a caller that checks none is left after close. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(ProcessHandle.current().pid());
        for (AutoCloseable c : started) {
            if (c instanceof ServiceProcess p) {
                pids.add(p.pid());
            } else if (c instanceof KafkaBroker k) {
                pids.add(k.pid());
            } else if (c instanceof ObjectStore o) {
                pids.add(o.pid());
            }
        }
        return pids;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable service = started.pop();
            try {
                service.close();
            } catch (Exception e) {
                progress.accept("  could not stop " + service + ": " + e.getMessage());
            }
        }
    }
}
