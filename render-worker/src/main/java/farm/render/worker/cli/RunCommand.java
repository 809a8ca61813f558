package farm.render.worker.cli;

import farm.render.core.cli.CommandLines;
import farm.render.core.identity.Ed25519;
import farm.render.core.identity.KeyFiles;
import farm.render.core.wire.KafkaLogin;
import farm.render.core.wire.RendererVersion;
import farm.render.core.wire.Tier;
import farm.render.worker.daemon.CoordinatorLink;
import farm.render.worker.daemon.PresignedHttp;
import farm.render.worker.daemon.SceneCache;
import farm.render.worker.daemon.StartBenchmark;
import farm.render.worker.daemon.TileProducer;
import farm.render.worker.daemon.TileWorker;
import farm.render.worker.daemon.VramBudget;
import farm.render.worker.daemon.WorkerIdentity;
import farm.render.worker.daemon.WorkerOptions;
import farm.render.worker.render.DeviceInfo;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code render-worker run --coordinator URL [--kafka HOST:PORT] [--id ID] [--key-file PATH] [--tiers …]} ({@code ./farm worker}):
 * registers the worker's key and joins the farm on the tiers its reputation allows. Exit codes: 0 stopped by SIGTERM
 * after finishing its tiles, 1 a task loop failed, 2 bad flags, 3 no renderer, 4 not registered or no tier open to it.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {"./farm worker --coordinator URL [--token T] [--id ID] [--key-file PATH] [--tiers T,...] [--cache-bytes SIZE]",
                "                     [--vram-budget SIZE] [--skip-bench] [--workers N] [--kafka HOST:PORT] [--device N] [--allow-cpu]"},
        description = "GPU owners: join a farm; the key pair is made on first run and registered",
        footer = {"%n--workers N: N tiles at once under one identity; SIGTERM finishes them and exits 0",
                "without --kafka or $FARM_KAFKA, the coordinator says where its workers' Kafka is",
                "exit codes: 0 stopped, 1 a task loop failed, 2 usage, 3 no renderer, 4 not registered or no tier open to this worker"})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    private WorkerOptions.Flags flags;
    @Spec
    private CommandSpec spec;

    private static String earnings(String coordinator, String token, String workerId) {
        try {
            CoordinatorLink.Standing standing = new CoordinatorLink(coordinator, token).standing(workerId);
            return String.format(", earned %,d µtokens available, stake %,d, reputation %.3f", standing.available(), standing.stake(),
                    standing.reputation().score());
        } catch (IOException e) {
            return ", earnings unknown (" + e.getMessage() + ")";
        }
    }

    /** The device score, measured once per device and renderer version; empty when it could not be measured. */
    private static Optional<StartBenchmark.Score> benchmark(WorkerOptions options, VulkanRenderer renderer) {
        Path stateDir = options.keyFile().toAbsolutePath().getParent();
        try {
            StartBenchmark.Score score = StartBenchmark.score(stateDir, renderer.deviceName(), RendererVersion.CURRENT,
                    BenchCommand.START_PRESET, () -> {
                        System.err.println("render-worker: measuring this device's score once, short preset "
                                + BenchCommand.START_PRESET + " (--skip-bench skips it; `render-worker bench` runs the full one)");
                        return BenchCommand.startScore(renderer);
                    });
            System.err.println("render-worker: device score " + score + (score.cached() ? " (measured before, kept in "
                    + stateDir.resolve(StartBenchmark.FILE) + ")" : ""));
            return Optional.of(score);
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("render-worker: device score unknown: the benchmark scene " + e.getFile()
                    + " is missing (run through ./farm, or set FARM_ROOT to the farm's directory)");
            return Optional.empty();
        } catch (Exception e) {
            System.err.println("render-worker: device score unknown, the benchmark failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Tells the coordinator which device this worker renders on, its score (0 when not measured) and numerical class; never fatal. */
    private static void reportDevice(Optional<CoordinatorLink> coordinator, WorkerOptions options, VulkanRenderer device,
                                     Optional<StartBenchmark.Score> score) {
        if (coordinator.isEmpty()) {
            return;
        }
        try {
            String status = coordinator.get().reportDevice(options.workerId(), device.deviceName(),
                    score.map(StartBenchmark.Score::pathsPerSecond).orElse(0.0), RendererVersion.CURRENT, device.numericalFacts());
            System.err.println("render-worker: numerical class " + device.numericalFacts().classId() + " (" + status + ")");
        } catch (IOException e) {
            System.err.println("render-worker: the device report did not reach the coordinator: " + e.getMessage());
        }
    }

    @Override
    public Integer call() {
        WorkerOptions options;
        try {
            options = flags.options();
        } catch (IllegalArgumentException e) {
            throw CommandLines.mistake(spec, e.getMessage());
        }
        WorkerIdentity identity;
        List<Tier> tiers = options.tiers();
        Optional<KafkaLogin> kafkaLogin = KafkaLogin.fromEnvironment();
        Optional<CoordinatorLink> coordinator = options.coordinatorUrl()
                .map(url -> new CoordinatorLink(url, options.apiToken().orElseThrow()));
        try {
            identity = new WorkerIdentity(options.workerId(), KeyFiles.loadOrCreate(options.keyFile()));
            if (coordinator.isPresent()) {
                CoordinatorLink.Registration registration = coordinator.get().register(identity);
                CoordinatorLink.Standing standing = registration.standing();
                if (registration.kafkaLogin().isPresent()) {
                    kafkaLogin = registration.kafkaLogin(); // the coordinator's login for this worker wins over the environment
                }
                tiers = options.tiers().stream().filter(standing.allowedTiers()::contains).toList();
                System.err.printf("render-worker: registered %s (reputation %.3f over %.1f recent verdicts, stake %d micro-tokens,"
                                + " %d pixels checked per tile); tiers allowed %s%n", identity.workerId(), standing.reputation().score(),
                        standing.reputation().passes() + standing.reputation().fails(), standing.stake(), standing.sampledPixels(),
                        standing.allowedTiers());
                if (tiers.isEmpty()) {
                    System.err.println("render-worker: none of the tiers asked for " + options.tiers() + " is open to this worker yet");
                    return 4;
                }
            } else {
                System.err.println("render-worker: --coordinator URL is needed: a worker claims each tile from the coordinator");
                return 2;
            }
        } catch (IOException e) {
            System.err.println("render-worker: " + e.getMessage());
            return 4;
        }
        try {
            for (DeviceInfo d : VulkanRenderer.devices()) {
                System.err.println("render-worker: device " + d);
            }
        } catch (RendererUnavailableException e) {
            System.err.println("render-worker: " + e.getMessage());
            return 3;
        }
        List<VulkanRenderer> renderers = new ArrayList<>();
        try {
            for (int i = 0; i < options.workers(); i++) {
                renderers.add(VulkanRenderer.open(options.device())); // one per loop: the loops render at the same time
            }
        } catch (RendererUnavailableException e) {
            renderers.forEach(VulkanRenderer::close);
            System.err.println("render-worker: " + e.getMessage());
            return 3;
        }
        VulkanRenderer first = renderers.get(0);
        System.err.println("render-worker: rendering on " + first.deviceName()
                + (options.workers() > 1 ? " with " + options.workers() + " tiles at once" : ""));
        Optional<StartBenchmark.Score> score = options.skipBench() ? Optional.empty() : benchmark(options, first);
        reportDevice(coordinator, options, first, score);
        String bench = score.map(sc -> ", device score " + sc).orElse("");
        SceneCache scenes = new SceneCache(new PresignedHttp(1L << 30), options.cacheBytes());
        VramBudget vram = VramBudget.of(options.vramBudget(), first.deviceMemoryBytes()).sharedBy(options.workers());
        List<TileWorker> loops = new ArrayList<>();
        for (int i = 0; i < options.workers(); i++) {
            TileProducer producer = new TileProducer(renderers.get(i), identity, options.cheat(), Ed25519.generate(), new Random());
            loops.add(new TileWorker(options, i + 1, renderers.get(i), producer, scenes, vram, tiers, kafkaLogin, coordinator.get()));
        }
        ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-status");
            t.setDaemon(true);
            return t;
        });
        status.scheduleWithFixedDelay(() -> System.err.println("render-worker: " + TileWorker.statusLine(loops) + bench
                + options.coordinatorUrl().map(url -> earnings(url, options.apiToken().orElseThrow(), options.workerId())).orElse("")),
                30, 30, TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exitStatus = new AtomicInteger();
        // SIGTERM: every loop finishes (and publishes) the tile it is rendering, takes no other, and the process exits 0
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("render-worker: stopping: finishing the tiles being rendered, taking no more");
            loops.forEach(TileWorker::stop);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.err.println("render-worker: stopped");
            System.err.flush();
            Runtime.getRuntime().halt(exitStatus.get()); // a clean stop exits 0, not with the signal's status
        }, "worker-shutdown"));
        ExecutorService threads = Executors.newFixedThreadPool(loops.size(), r -> new Thread(r, "task-loop"));
        ExecutorCompletionService<TileWorker> ended = new ExecutorCompletionService<>(threads);
        try {
            for (TileWorker loop : loops) {
                ended.submit(loop::run, loop);
            }
            for (int i = 0; i < loops.size(); i++) {
                try {
                    ended.take().get();
                } catch (ExecutionException e) {
                    System.err.println("render-worker: a task loop stopped: " + e.getCause());
                    exitStatus.set(1);
                }
                loops.forEach(TileWorker::stop); // when one loop ends, the others finish their tiles and end too
            }
            return exitStatus.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exitStatus.set(1);
            return 1;
        } finally {
            loops.forEach(TileWorker::stop);
            threads.shutdown();
            renderers.forEach(VulkanRenderer::close);
            stopped.countDown();
        }
    }
}
