package farm.render.worker.cli;

import farm.render.core.cli.CommandLines;
import farm.render.core.cli.WholeNumbers;
import farm.render.core.scene.ImportHeap;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.IsolatedImport;
import farm.render.core.scene.SceneLimitException;
import farm.render.worker.WorkerMain;
import farm.render.worker.render.FrameRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * {@code bench scenes}: generates scenes from ten thousand to ten million triangles (ten smooth spheres, as
 * Blender's glTF exporter writes them) and a forest of one tree mesh shared by many nodes, and takes each
 * through what the farm does with it, each step in its own process: the coordinator's isolated import (its
 * default heap, time and size limits), the worker's render of the package, the local render command on the
 * file from a cold JVM, and Cycles on the same file where Debian's Blender is installed. Prints per scene
 * package bytes per triangle, intake seconds, paths/s and peak RSS of each process, then a table and each
 * goal met or missed. Exit 0 when every scene was measured or refused, 1 when a step broke, 2 bad arguments.
 */
@Command(name = "scenes", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "bench scenes [--sizes 10k,100k,1m,5m,10m] [--forest N] [--tree T] [--spp S] [--rounds R] [--no-cycles] [--keep DIR]",
        description = "production-size scenes, 10k to 10M triangles and a forest of 1,000 instances: package bytes per triangle,"
                + " intake seconds, paths/s and peak RSS, the render command against Cycles where Blender is installed, each goal met"
                + " or missed",
        footer = "%nexit codes: 0 done, 1 a step broke, 2 bad arguments")
final class SceneBench implements Callable<Integer> {
    /** The coordinator's default intake settings (farm.intake.*): its import heap, time limit and scene limits. */
    static final ImportHeap COORDINATOR_HEAP = new ImportHeap(256, 32, 4096);
    static final int COORDINATOR_MAX_TRIANGLES = 20_000_000;
    static final long COORDINATOR_MAX_PACKAGE_BYTES = 1L << 30;

    @Option(names = "--sizes", split = ",", paramLabel = "N[k|m]",
            description = "sphere-field scenes, in triangles (default ${DEFAULT-VALUE})")
    private List<String> sizes = List.of("10k", "100k", "1m", "5m", "10m");
    @Option(names = "--forest", converter = WholeNumbers.NotNegative.class, paramLabel = "N",
            description = "trees in the forest scene, one shared mesh; 0 for none (default ${DEFAULT-VALUE})")
    private int forest = 1000;
    @Option(names = "--tree", paramLabel = "N[k|m]", description = "triangles of the forest's tree (default ${DEFAULT-VALUE})")
    private String tree = "100k";
    @Option(names = "--width", converter = WholeNumbers.Positive.class, paramLabel = "W",
            description = "width of every render in pixels (default ${DEFAULT-VALUE})")
    private int width = 160;
    @Option(names = "--height", converter = WholeNumbers.Positive.class, paramLabel = "H",
            description = "height of every render in pixels (default ${DEFAULT-VALUE})")
    private int height = 96;
    @Option(names = "--spp", converter = WholeNumbers.Positive.class, paramLabel = "S",
            description = "samples per pixel of every render, the farm's and Cycles' (default ${DEFAULT-VALUE})")
    private int spp = 16;
    @Option(names = "--bounces", converter = WholeNumbers.Positive.class, paramLabel = "B",
            description = "most scattering events of a path; Cycles gets one less, as it counts indirect bounces (default ${DEFAULT-VALUE})")
    private int bounces = 8;
    @Option(names = "--tile", converter = WholeNumbers.Positive.class, paramLabel = "T",
            description = "tile size of the worker's render (default ${DEFAULT-VALUE})")
    private int tile = 64;
    @Option(names = "--import-seconds", converter = WholeNumbers.Positive.class, paramLabel = "S",
            description = "the import's time limit, as farm.intake.import-time-limit (default ${DEFAULT-VALUE})")
    private int importSeconds = 120;
    @Option(names = "--step-seconds", converter = WholeNumbers.Positive.class, paramLabel = "S",
            description = "time limit of each render and Cycles run (default ${DEFAULT-VALUE})")
    private int stepSeconds = 900;
    @Option(names = "--rounds", converter = WholeNumbers.Positive.class, paramLabel = "R",
            description = "runs of the render command and of Cycles per scene, alternating; the fastest of each counts (default ${DEFAULT-VALUE})")
    private int rounds = 1;
    @Option(names = "--no-cycles", description = "skip Cycles")
    private boolean noCycles;
    @Option(names = "--keep", paramLabel = "DIR", description = "write the scenes, packages and images here and keep them")
    private Path keep;
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Generated.Plan> plans = plans();
        try {
            new FrameRequest(width, height, 0, spp, bounces, RenderCommand.SEED);
        } catch (IllegalArgumentException e) {
            throw CommandLines.mistake(spec, e.getMessage());
        }
        try {
            Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("bench-scenes");
            header(out);
            List<SceneRow> rows = new ArrayList<>();
            boolean broke = false;
            for (Generated.Plan plan : plans) {
                try {
                    SceneRow row = measure(plan, dir);
                    rows.add(row);
                    SceneReport.block(out, row, load());
                } catch (IOException e) {
                    err.println("bench scenes: " + plan.label() + ": " + e.getMessage());
                    broke = true;
                }
            }
            out.println();
            SceneReport.table(out, rows);
            out.println();
            SceneGoals.judge(rows).forEach(out::println);
            out.flush();
            if (keep == null) {
                Generated.deleteTree(dir);
            }
            return broke ? 1 : 0;
        } catch (IOException e) {
            err.println("bench scenes: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private List<Generated.Plan> plans() {
        List<Generated.Plan> plans = new ArrayList<>();
        try {
            for (String size : sizes) {
                plans.add(Generated.Plan.spheres(size.strip().toLowerCase(Locale.ROOT), Generated.count(size)));
            }
            if (forest > 0) {
                plans.add(Generated.Plan.forest(forest, Generated.count(tree)));
            }
        } catch (IllegalArgumentException e) {
            throw CommandLines.mistake(spec, e.getMessage());
        }
        return plans;
    }

    private void header(PrintWriter out) {
        out.printf(Locale.ROOT, "bench scenes: %s%n", SceneReport.machine());
        out.printf(Locale.ROOT, "settings: %dx%d, %d spp, %d bounces; worker tiles %dx%d; Cycles on the CPU, %s%n", width, height, spp,
                bounces, tile, tile, noCycles ? "skipped (--no-cycles)" : CyclesRun.available() ? CyclesRun.BLENDER.toString()
                        : "skipped (no Blender at " + CyclesRun.BLENDER + ")");
        out.printf(Locale.ROOT, "render command and Cycles: %s%n", rounds == 1 ? "one run each" : "the fastest of " + rounds + " alternating runs each");
        out.printf(Locale.ROOT, "intake as the coordinator's defaults: import child heap %d MiB + %d B per source byte, at most %d MiB;"
                        + " %d s; at most %d triangles and %d package bytes%n", COORDINATOR_HEAP.baseMb(), COORDINATOR_HEAP.perSourceByte(),
                COORDINATOR_HEAP.maxMb(), importSeconds, COORDINATOR_MAX_TRIANGLES, COORDINATOR_MAX_PACKAGE_BYTES);
        out.printf(Locale.ROOT, "load average at start: %s%n", load());
        out.flush();
    }

    private SceneRow measure(Generated.Plan plan, Path dir) throws IOException, InterruptedException {
        Generated scene = plan.write(dir);
        Path pkg = dir.resolve(plan.label() + ".rfpk");
        SceneRow.Intake intake = intake(scene.file(), pkg);
        SceneRow.Step<SceneRow.Render> render = intake.accepted() ? renderPackage(pkg, dir)
                : SceneRow.Step.none("refused at intake");
        if (keep == null) {
            Files.deleteIfExists(pkg);
        }
        SceneRow.Step<SceneRow.Whole> whole = null;
        SceneRow.Step<CyclesRun.Result> cycles = null;
        for (int round = 0; round < rounds; round++) {
            // alternating, so a change in the machine's load falls on both; the fastest of each is kept
            whole = faster(whole, wholeCommand(scene.file(), dir.resolve(plan.label() + ".png"), dir), SceneRow.Whole::seconds);
            cycles = faster(cycles, cycles(scene.file(), dir.resolve(plan.label() + "-cycles")), CyclesRun.Result::seconds);
        }
        SceneRow row = new SceneRow(plan.label(), scene.description(), scene.triangles(), Files.size(scene.file()), intake, render, whole,
                cycles);
        if (keep == null) {
            Files.deleteIfExists(scene.file());
        }
        return row;
    }

    private static <T> SceneRow.Step<T> faster(SceneRow.Step<T> best, SceneRow.Step<T> next, ToDoubleFunction<T> seconds) {
        if (best == null || best.value().isEmpty()) {
            return next;
        }
        return next.value().isPresent() && seconds.applyAsDouble(next.value().get()) < seconds.applyAsDouble(best.value().get()) ? next : best;
    }

    /** The coordinator's isolated import of the file, timed; the peak RSS is the import child's (every try's largest). */
    private SceneRow.Intake intake(Path glb, Path pkg) throws IOException {
        IsolatedImport importer = new IsolatedImport(IsolatedImport.defaultClasspath(), COORDINATOR_HEAP, Duration.ofSeconds(importSeconds),
                new IsolatedImport.Limits(COORDINATOR_MAX_TRIANGLES, COORDINATOR_MAX_PACKAGE_BYTES));
        long start = System.nanoTime();
        try (PeakRss rss = PeakRss.ofDescendants()) {
            try {
                IsolatedImport.Compiled compiled = importer.compile(glb, "glb", pkg);
                return new SceneRow.Intake(true, compiled.packageBytes(), compiled.summary().triangles(), seconds(start), rss.peakBytes(), "");
            } catch (SceneLimitException e) {
                return new SceneRow.Intake(false, 0, 0, seconds(start), rss.peakBytes(),
                        "over the " + e.limit().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " limit: " + e.getMessage());
            } catch (InvalidSceneException e) {
                return new SceneRow.Intake(false, 0, 0, seconds(start), rss.peakBytes(), "refused as invalid: " + e.getMessage());
            }
        }
    }

    private SceneRow.Step<SceneRow.Render> renderPackage(Path pkg, Path dir) throws IOException, InterruptedException {
        List<String> command = ChildJvm.command(ChildJvm.classpathOf(PackageRenderProbe.class), PackageRenderProbe.class);
        command.addAll(List.of(pkg.toString(), Integer.toString(width), Integer.toString(height), Integer.toString(spp),
                Integer.toString(bounces), Integer.toString(tile)));
        Child child = Child.run(command, dir.resolve("probe"), stepSeconds);
        if (!child.ok()) {
            return SceneRow.Step.none("worker: " + child.problem());
        }
        String device = "";
        for (String line : child.stdout()) {
            String[] f = line.split("\t");
            if (f[0].equals("device") && f.length == 2) {
                device = f[1];
            } else if (f[0].equals("render") && f.length == 7) {
                return SceneRow.Step.of(new SceneRow.Render(device, Long.parseLong(f[3]) / 1e9, Long.parseLong(f[4]) / 1e9,
                        Long.parseLong(f[6]) / 1e9, Long.parseLong(f[5]), child.peakRssBytes()));
            }
        }
        return SceneRow.Step.none("worker: no result line");
    }

    /** {@code ./farm render SCENE -o OUT.png} at the bench's settings: the worker jar's render command in a fresh JVM. */
    private SceneRow.Step<SceneRow.Whole> wholeCommand(Path glb, Path png, Path dir) throws IOException, InterruptedException {
        List<String> command = ChildJvm.command(ChildJvm.classpathOf(WorkerMain.class), WorkerMain.class);
        command.addAll(List.of("render", glb.toString(), "-o", png.toString(), "--width", Integer.toString(width), "--height",
                Integer.toString(height), "--spp", Integer.toString(spp), "--bounces", Integer.toString(bounces)));
        long start = System.nanoTime();
        Child child = Child.run(command, dir.resolve("render"), stepSeconds);
        double seconds = seconds(start);
        return child.ok() ? SceneRow.Step.of(new SceneRow.Whole(seconds, child.peakRssBytes()))
                : SceneRow.Step.none(child.problem() + " after " + String.format(Locale.ROOT, "%.1f s", seconds) + ", peak RSS "
                + SceneGoals.mb(child.peakRssBytes()));
    }

    private SceneRow.Step<CyclesRun.Result> cycles(Path glb, Path dir) throws IOException, InterruptedException {
        if (noCycles) {
            return SceneRow.Step.none("skipped (--no-cycles)");
        }
        if (!CyclesRun.available()) {
            return SceneRow.Step.none("skipped (no Blender at " + CyclesRun.BLENDER + ")");
        }
        Files.createDirectories(dir);
        return CyclesRun.render(glb, width, height, spp, bounces, dir, stepSeconds).map(SceneRow.Step::of)
                .orElseGet(() -> SceneRow.Step.none("Blender failed or ran past " + stepSeconds + " s; see " + dir.resolve("cycles.log")));
    }

    private static String load() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%.2f", load);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** A child process run to its end with its output in files, its peak RSS watched. */
    private record Child(boolean ok, String problem, List<String> stdout, long peakRssBytes) {
        static Child run(List<String> command, Path base, long limitSeconds) throws IOException, InterruptedException {
            Path stdout = Path.of(base + ".out");
            Path stderr = Path.of(base + ".err");
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            try (PeakRss rss = PeakRss.of(process.toHandle())) {
                if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    return new Child(false, "stopped after " + limitSeconds + " s", List.of(), rss.peakBytes());
                }
                List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
                if (process.exitValue() == 0) {
                    return new Child(true, "", lines, rss.peakBytes());
                }
                // the error's own line, not the last frame of its stack trace
                List<String> said = Files.readString(stderr, StandardCharsets.UTF_8).lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("at ") && !l.startsWith("...")).toList();
                String reason = said.stream().filter(l -> l.contains("OutOfMemoryError")).findFirst()
                        .orElse(said.isEmpty() ? "" : said.get(said.size() - 1));
                return new Child(false, "exit " + process.exitValue() + (reason.isEmpty() ? "" : ": " + reason), lines, rss.peakBytes());
            }
        }
    }
}
