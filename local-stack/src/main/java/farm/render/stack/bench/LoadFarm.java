package farm.render.stack.bench;

import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.LocalStack;
import farm.render.stack.services.Database;
import farm.render.stack.services.FarmLayout;
import farm.render.stack.services.KafkaBroker;
import farm.render.stack.services.ObjectStore;
import farm.render.stack.services.ServiceProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The farm the load phases drive: one real coordinator with real PostgreSQL, S3Proxy and Kafka, the Cornell box
 * uploaded, and the one job shape they submit (256x256 px, 4 spp, 32x32 tiles). Closing it stops the services in
 * the reverse order of their start.
 */
final class LoadFarm implements AutoCloseable {
    /** Tiles in one frame of the load jobs: 256x256 px in 32x32 tiles. */
    static final int TILES_PER_FRAME = 64;

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Database db;
    private final KafkaBroker broker;
    private final ServiceProcess coordinator;
    private final String url;
    private final String token;
    private final FarmClient client;
    private final String digest;
    private final PaymentReadings payments;

    LoadFarm(FarmLayout layout, Path dir, Path coordinatorJar, boolean jfr) throws Exception {
        int port = ServiceProcess.freePort();
        try {
            db = step("PostgreSQL", () -> Database.start(dir.resolve("postgres")));
            ObjectStore s3 = step("S3Proxy", () -> ObjectStore.start(dir.resolve("s3"), layout.s3proxyJar()));
            broker = step("Kafka broker", () -> KafkaBroker.start(dir.resolve("kafka"), layout.kafkaLib()));
            coordinator = step("coordinator", () -> startCoordinator(dir, coordinatorJar, jfr, port, s3));
            url = "http://127.0.0.1:" + port;
            token = LocalStack.operatorToken(dir);
            client = new FarmClient(url, token);
            digest = client.uploadScene(layout.sample("cornell-box/cornell-box.gltf")).path("digest").asText();
            payments = new PaymentReadings(db);
        } catch (Exception | Error e) {
            try {
                close();
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
    }

    String url() {
        return url;
    }

    String token() {
        return token;
    }

    /** Bootstrap servers and a login for the harness's Kafka clients. */
    Map<String, Object> kafka() {
        return broker.clientProperties();
    }

    long coordinatorPid() {
        return coordinator.pid();
    }

    PaymentReadings payments() {
        return payments;
    }

    /** Submits a job of the load shape over {@code frames} frames of the uploaded scene; its id. */
    String submit(int frames) throws IOException {
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
        return client.createJob(job).path("id").asText();
    }

    void awaitPaid(String jobId, long tiles, Duration timeout) throws InterruptedException {
        Polling.await(() -> {
            try {
                return payments.paidCount(jobId) >= tiles;
            } catch (SQLException e) {
                return false;
            }
        }, timeout);
    }

    private ServiceProcess startCoordinator(Path dir, Path jar, boolean jfr, int port, ObjectStore s3) {
        List<String> jvm = new ArrayList<>(jfr
                ? List.of("-XX:FlightRecorderOptions:stackdepth=256", // deep enough to see who called the hot frames
                "-XX:StartFlightRecording=filename=" + dir.resolve("coordinator.jfr") + ",settings=profile,dumponexit=true")
                : List.of());
        // the harness holds every verdict until all results are in, so the dispatch window must not hold tiles back
        jvm.addAll(List.of("-Dfarm.dispatch.window-per-job=0", "-Dfarm.dispatch.window-per-tier=0"));
        List<String> cmd = LocalStack.coordinatorCommand(jar, port, broker.bootstrapServers(), 30_000, jvm);
        Map<String, String> env = new HashMap<>(LocalStack.coordinatorEnvironment(LocalStack.operatorToken(dir), db, s3));
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

    private interface Start<T> {
        T get() throws Exception;
    }

    private <T extends AutoCloseable> T step(String what, Start<T> start) throws Exception {
        long t0 = System.nanoTime();
        System.out.println("starting " + what + "…");
        T t = start.get();
        started.push(t);
        System.out.printf("  %s ready (%.1f s)%n", what, (System.nanoTime() - t0) / 1e9);
        return t;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
