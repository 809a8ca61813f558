package farm.render.stack.bench;

import farm.render.stack.services.FarmLayout;
import farm.render.core.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./farm bench farm}: load on one real coordinator (with real Kafka, PostgreSQL and S3Proxy)
 * from simulated workers and a harness verifier, then farm overhead with real workers against
 * {@code ./farm render}. Prints a table ending with {@code ingest=X/s dispatch_p99=Yms overhead=Z%}.
 */
@Command(name = "./farm bench farm", mixinStandardHelpOptions = true, sortOptions = false, sortSynopsis = false,
        description = "farm benchmark: dispatch, ingest and payment rate with simulated workers, farm overhead")
public final class FarmBench implements Callable<Integer> {
    @Option(names = "--workers", paramLabel = "N", defaultValue = "1000",
            description = "simulated worker identities, each registered with its own Ed25519 key (${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "8",
            description = "share-consumer threads that stand for them (${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--frames", paramLabel = "F", defaultValue = "60",
            description = "frames of the throughput job: 256x256 px in 32x32 tiles, 64 tiles a frame (${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--latency-jobs", paramLabel = "J", defaultValue = "10",
            description = "one-frame jobs submitted a second apart to an idle farm for dispatch latency (${DEFAULT-VALUE})")
    int latencyJobs;

    @Option(names = "--overhead-frames", paramLabel = "K", defaultValue = "3",
            description = "frames rendered on the farm with 2 real workers and with ./farm render (${DEFAULT-VALUE})")
    int overheadFrames;

    @Option(names = "--overhead-size", paramLabel = "S", defaultValue = "128",
            description = "their width and height in pixels, 64x64 tiles (${DEFAULT-VALUE})")
    int overheadSize;

    @Option(names = "--overhead-spp", paramLabel = "P", defaultValue = "16",
            description = "their samples per pixel (${DEFAULT-VALUE})")
    int overheadSpp;

    @Option(names = "--timeout-s", paramLabel = "T", defaultValue = "240",
            description = "how long the throughput job may take to be paid (${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--skip-load", description = "skip the load phases: measure the farm overhead only")
    boolean skipLoad;

    @Option(names = "--skip-overhead", description = "skip the farm overhead: measure the load phases only")
    boolean skipOverhead;

    @Option(names = "--coordinator-jar", paramLabel = "J",
            description = "another build of the coordinator's quarkus-run.jar, for before/after comparisons")
    Path coordinatorJar;

    @Option(names = "--jfr", description = "record the coordinator with Java Flight Recorder (DIR/coordinator.jfr)")
    boolean jfr;

    @Option(names = "--dir", paramLabel = "DIR", description = "work directory, wiped first (.farm/bench-farm)")
    Path dir;

    public static void main(String[] args) {
        System.exit(CommandLines.of(new FarmBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        FarmLayout layout = FarmLayout.locate();
        Path work = (dir != null ? dir : layout.root().resolve(".farm/bench-farm")).toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        FarmBenchReport report = new FarmBenchReport();
        report.header();
        double ingest = Double.NaN;
        long p99 = -1;
        double overhead = Double.NaN;
        if (!skipLoad) {
            try (LoadFarm farm = new LoadFarm(layout, work.resolve("load"), coordinatorJar != null ? coordinatorJar : layout.coordinatorJar(),
                    jfr)) {
                LoadResult load = load(farm, report);
                ingest = load.ingestPerSecond();
                p99 = load.p99();
            }
        }
        if (!skipOverhead) {
            OverheadPhase.Result result = OverheadPhase.run(layout, work.resolve("overhead"), overheadFrames, overheadSize, overheadSpp);
            report.overhead(result);
            overhead = result.overhead();
        }
        report.print(ingest, p99, overhead);
        return 0;
    }

    /** The headline figures of the load phases: payments per second and the idle farm's 99th percentile dispatch latency. */
    private record LoadResult(double ingestPerSecond, long p99) {
    }

    /** The load phases in order on one farm: registration, warm-up, dispatch latency on an idle farm, then throughput. */
    private LoadResult load(LoadFarm farm, FarmBenchReport report) throws Exception {
        System.out.println("registering " + workers + " simulated worker identities…");
        List<SimulatedWorkers.Identity> ids = WorkerRegistration.newIdentities(workers);
        double registerSeconds = WorkerRegistration.register(farm, ids);
        report.registered(workers, registerSeconds);

        try (HarnessVerifier verifier = new HarnessVerifier(farm.kafka());
             SimulatedWorkers simulated = new SimulatedWorkers(farm.kafka(), farm.url(), farm.token(), ids)) {
            simulated.start(threads);
            System.out.println("warming up: one job of one frame…");
            farm.awaitPaid(farm.submit(1), LoadFarm.TILES_PER_FRAME, Duration.ofSeconds(120));
            LatencyLog idle = DispatchLatencyPhase.run(farm, simulated, latencyJobs);
            ThroughputPhase.Result throughput = ThroughputPhase.run(farm, simulated, verifier, frames, Duration.ofSeconds(timeoutSeconds));
            report.load(idle, throughput, workers, threads);
            return new LoadResult(throughput.ingestPerSecond(), idle.quantile(0.99));
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
