package farm.render.stack.launcher;

import farm.render.stack.services.Database;
import farm.render.stack.services.FarmLayout;
import farm.render.stack.services.KafkaBroker;
import farm.render.stack.services.ObjectStore;
import farm.render.stack.services.Ports;
import farm.render.stack.services.SecretFiles;
import farm.render.stack.services.ServiceProcess;

import farm.render.core.credentials.ApiTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The whole farm on one machine: PostgreSQL, S3Proxy and a Kafka broker, then C coordinator
 * replicas, V verifiers and N workers, each on free ports, all under one work directory. A failure
 * while starting stops everything already started; {@link #close()} stops everything in reverse
 * order. Single services can be stopped and restarted, as fault tests do to a real farm.
 */
public final class LocalStack implements AutoCloseable {
    /**
     * @param lockDurationMs how long a worker holds a tile before the broker hands it to another
     * @param coordinators   coordinator replicas sharing the database and Kafka
     * @param verifiers      verifier replicas sharing one consumer group
     */
    public record Options(Path workDir, int workers, long lockDurationMs, int coordinators, int verifiers) {
        public Options {
            if (workers < 0 || workers > 64) {
                throw new IllegalArgumentException("--workers must be between 0 and 64");
            }
            if (coordinators < 1 || coordinators > 8 || verifiers < 1 || verifiers > 8) {
                throw new IllegalArgumentException("coordinators and verifiers must be between 1 and 8");
            }
        }

        public Options(Path workDir, int workers, long lockDurationMs) {
            this(workDir, workers, lockDurationMs, 1, 1);
        }
    }

    private final FarmLayout layout;
    private final Options options;
    private final Path dir;
    private final Consumer<String> progress;
    private Database db;
    private ObjectStore s3;
    private KafkaBroker broker;
    private final List<ServiceProcess> coordinators = new ArrayList<>();
    private final List<String> coordinatorUrls = new ArrayList<>();
    private final List<ServiceProcess> verifiers = new ArrayList<>();
    private final List<ServiceProcess> workers = new ArrayList<>();
    private int workerSerial;
    private String operatorToken;

    private LocalStack(FarmLayout layout, Options options, Consumer<String> progress) {
        this.layout = layout;
        this.options = options;
        this.dir = options.workDir().toAbsolutePath();
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
        try {
            // logins, keys and tokens live below: nobody else on the machine may list or read them
            SecretFiles.privateDirectory(dir);
            SecretFiles.privateDirectory(dir.resolve("keys"));
            SecretFiles.privateDirectory(dir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the work directory " + dir, e);
        }
        operatorToken = operatorToken(dir);
        db = step("PostgreSQL", () -> Database.start(dir.resolve("postgres")));
        startObjectStore();
        startKafka();
        for (int i = 0; i < options.coordinators(); i++) {
            int port = Ports.remembered(dir.resolve(i == 0 ? "coordinator" : "coordinator-" + i), "http");
            coordinatorUrls.add("http://127.0.0.1:" + port);
            coordinators.add(null);
            startCoordinator(i);
        }
        for (int i = 0; i < options.verifiers(); i++) {
            String name = options.verifiers() == 1 ? "verifier" : "verifier-" + (i + 1);
            verifiers.add(step(name, () -> {
                // it re-renders sampled pixels, so it holds a decoded scene as a worker does (10M triangles: about 1.7 GiB)
                ServiceProcess p = ServiceProcess.start(name, List.of(ServiceProcess.java(), "-Xmx3g",
                        "-jar", layout.verifierJar().toString(), "--kafka", broker.bootstrapServers(),
                        "--coordinator", coordinatorUrl()), dir.resolve("logs/" + name + ".log"),
                        environment(clientEnvironment(operatorToken), broker.loginEnvironment()));
                awaitOrStop(p, () -> p.logContains("verifier consuming"));
                return p;
            }));
        }
        for (int i = 0; i < options.workers(); i++) {
            startWorker();
        }
    }

    private void startCoordinator(int replica) {
        String url = coordinatorUrls.get(replica);
        String name = replica == 0 ? "coordinator" : "coordinator-" + (replica + 1);
        coordinators.set(replica, step(name, () -> {
            ServiceProcess p = ServiceProcess.start(name, coordinatorCommand(layout.coordinatorJar(), URI.create(url).getPort(),
                    broker.bootstrapServers(), options.lockDurationMs(), List.of()),
                    dir.resolve("logs/" + name + ".log"), environment(coordinatorEnvironment(operatorToken, db, s3), broker.loginEnvironment(),
                            keyEnvironment(dir)));
            awaitOrStop(p, () -> ServiceProcess.isHealthy(url + "/q/health/ready"));
            return p;
        }));
    }

    /**
     * The command line of a coordinator pointed at these services: the one place the coordinator's
     * configuration for a local farm is spelled out, but for the logins, which any local user could
     * read here: they go in {@link #coordinatorEnvironment(String, Database, ObjectStore)}.
     */
    public static List<String> coordinatorCommand(Path jar, int port, String kafka, long lockDurationMs, List<String> jvmOptions) {
        List<String> command = new ArrayList<>(List.of(ServiceProcess.java(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + kafka,
                "-Dfarm.dispatch.lock-duration-ms=" + lockDurationMs,
                "-jar", jar.toString()));
        return command;
    }

    /**
     * The operator API token of a work directory: random on the first start, then read back from
     * {@code <workDir>/operator.token} (mode 600). Coordinators get it as {@code FARM_BOOTSTRAP_TOKEN} and make
     * it a token of the operator account {@code local}; this stack's workers, verifiers and clients send it.
     */
    public static String operatorToken(Path workDir) {
        Path file = workDir.resolve(ApiTokens.LOCAL_STACK_FILE);
        try {
            if (Files.exists(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!token.isEmpty()) {
                    return token;
                }
                Files.delete(file);
            }
            Files.createDirectories(workDir);
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = "rf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the operator token in " + file, e);
        }
    }

    /** What a coordinator of a farm with this operator token starts with. */
    public static Map<String, String> coordinatorEnvironment(String operatorToken) {
        return Map.of("FARM_BOOTSTRAP_TOKEN", operatorToken, "QUARKUS_PROFILE", "demo"); // the demo profile mints the sign-up grant
    }

    /**
     * What a coordinator of a farm with this operator token, database and object store starts with:
     * the token, the database logins and the S3 credential (the Kafka login comes from the broker).
     */
    public static Map<String, String> coordinatorEnvironment(String operatorToken, Database db, ObjectStore s3) {
        return environment(coordinatorEnvironment(operatorToken), db.coordinatorEnvironment(), s3.coordinatorEnvironment());
    }

    /** Where every coordinator of a work directory keeps its task and ledger signing keys (shared by its replicas). */
    public static Map<String, String> keyEnvironment(Path workDir) {
        return Map.of("FARM_KEY_DIR", workDir.toAbsolutePath().resolve("coordinator-keys").toString());
    }

    /** What this stack's workers and verifiers start with: the token they send to the coordinator. */
    private static Map<String, String> clientEnvironment(String operatorToken) {
        return Map.of(ApiTokens.ENV, operatorToken);
    }

    @SafeVarargs
    private static Map<String, String> environment(Map<String, String>... parts) {
        Map<String, String> all = new java.util.HashMap<>();
        for (Map<String, String> part : parts) {
            all.putAll(part);
        }
        return all;
    }

    /** The operator token this stack's coordinators accept for the account {@code local}. */
    public String operatorToken() {
        return operatorToken;
    }

    private void startObjectStore() {
        s3 = step("S3Proxy", () -> ObjectStore.start(dir.resolve("s3"), layout.s3proxyJar()));
    }

    private void startKafka() {
        broker = step("Kafka broker", () -> KafkaBroker.start(dir.resolve("kafka"), layout.kafkaLib()));
    }

    /** Starts one more worker and returns once it polls for tasks. */
    public ServiceProcess startWorker() {
        return startWorker(List.of());
    }

    /** Starts one more worker with {@code extraArgs} added to its command line, and returns once it polls for tasks. */
    public ServiceProcess startWorker(List<String> extraArgs) {
        return startWorker(extraArgs, Map.of());
    }

    /**
     * The device memory a local worker's scenes may use: a quarter of this machine's memory, which lavapipe renders
     * from (it reports a 2 GiB heap, too small for the 10M-triangle scenes the farm takes).
     */
    static long cpuDeviceBudget() {
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return Math.max(1L << 30, total / 4);
    }

    /**
     * As {@link #startWorker(List)} with {@code env} over the worker's environment: another owner's API token
     * ({@code FARM_TOKEN}), or a lavapipe configuration such as {@code GALLIUM_OVERRIDE_CPU_CAPS}.
     */
    public ServiceProcess startWorker(List<String> extraArgs, Map<String, String> env) {
        String id = "local-worker-" + (++workerSerial);
        // Decoding a scene takes about 170 heap bytes per triangle (5M: 0.8 GiB); the heap only grows as scenes need.
        List<String> command = new ArrayList<>(List.of(ServiceProcess.java(), "-Xmx3g",
                "-jar", layout.workerJar().toString(), "run", "--kafka", broker.bootstrapServers(),
                "--coordinator", coordinatorUrl(), "--id", id, "--allow-cpu", "--skip-bench",
                "--key-file", dir.resolve("keys/" + id + ".key").toString()));
        if (!extraArgs.contains("--vram-budget")) {
            // lavapipe's device memory is this machine's memory, whatever heap size it reports
            command.addAll(List.of("--vram-budget", (cpuDeviceBudget() >> 20) + "M"));
        }
        command.addAll(extraArgs);
        ServiceProcess worker = step("worker " + id, () -> {
            ServiceProcess p = ServiceProcess.start(id, command, dir.resolve("logs/" + id + ".log"),
                    environment(clientEnvironment(operatorToken), env));
            awaitOrStop(p, () -> p.logContains("polling"));
            return p;
        });
        workers.add(worker);
        return worker;
    }

    /** Stops coordinator replica {@code replica} as a crash would, then starts it again on the same port. */
    public void restartCoordinator(int replica) {
        coordinators.get(replica).kill();
        startCoordinator(replica);
    }

    /** Stops the Kafka broker cleanly and starts it again on the same data and ports. */
    public void restartKafka() {
        broker.close();
        startKafka();
    }

    /** Stops S3Proxy; every presigned URL fails until {@link #resumeObjectStore()}. */
    public void stopObjectStore() {
        s3.close();
    }

    public void resumeObjectStore() {
        startObjectStore();
    }

    private static void awaitOrStop(ServiceProcess p, java.util.function.BooleanSupplier ready) {
        try {
            p.awaitReady(ready, Duration.ofSeconds(240));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private <T> T step(String what, Supplier<T> start) {
        long t0 = System.nanoTime();
        progress.accept("starting " + what + "…");
        T service = start.get();
        progress.accept(String.format("  %s ready (%.1f s)", what, (System.nanoTime() - t0) / 1e9));
        return service;
    }

    /** The first coordinator replica's URL: what `./farm up` prints. */
    public String coordinatorUrl() {
        return coordinatorUrls.get(0);
    }

    public List<String> coordinatorUrls() {
        return List.copyOf(coordinatorUrls);
    }

    /** The work directory: databases, objects, logs and the mode-600 files holding this farm's secrets. */
    public Path workDir() {
        return dir;
    }

    public String kafkaBootstrap() {
        return broker.bootstrapServers();
    }

    public List<ServiceProcess> workers() {
        return List.copyOf(workers);
    }

    /** This process and every process the stack started, for a caller that checks none is left after close. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(ProcessHandle.current().pid());
        for (ServiceProcess p : processes()) {
            pids.add(p.pid());
        }
        if (broker != null) {
            pids.add(broker.pid());
        }
        if (s3 != null) {
            pids.add(s3.pid());
        }
        return pids;
    }

    private List<ServiceProcess> processes() {
        List<ServiceProcess> all = new ArrayList<>(workers);
        all.addAll(verifiers);
        coordinators.stream().filter(java.util.Objects::nonNull).forEach(all::add);
        return all;
    }

    @Override
    public void close() {
        List<AutoCloseable> order = new ArrayList<>();
        for (int i = workers.size() - 1; i >= 0; i--) {
            order.add(workers.get(i));
        }
        for (int i = verifiers.size() - 1; i >= 0; i--) {
            order.add(verifiers.get(i));
        }
        for (int i = coordinators.size() - 1; i >= 0; i--) {
            order.add(coordinators.get(i));
        }
        order.add(broker);
        order.add(s3);
        order.add(db);
        for (AutoCloseable service : order) {
            if (service == null) {
                continue;
            }
            try {
                service.close();
            } catch (Exception e) {
                progress.accept("  could not stop " + service + ": " + e.getMessage());
            }
        }
        workers.clear();
        verifiers.clear();
        coordinators.clear();
        broker = null;
        s3 = null;
        db = null;
    }
}
