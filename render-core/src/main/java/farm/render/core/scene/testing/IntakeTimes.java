package farm.render.core.scene.testing;

import farm.render.core.bvh.Bvh;
import farm.render.core.bvh.BvhBuilder;
import farm.render.core.cli.CommandLines;
import farm.render.core.digest.Digests;
import farm.render.core.scene.ImportHeap;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.IsolatedImport;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.core.scene.ScenePackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * What intake costs in one JVM: each scene imported several times in process (the import child's work
 * without the process), with the BVH build over the imported triangles timed again on its own, and the
 * package encoded and hashed. Prints the median with min-max, wall and process CPU seconds, and the
 * package digest, so that two builds can be compared run for run and byte for byte. With {@code --isolated},
 * what the coordinator's intake costs as a whole instead: each run a fresh import child, source to package file.
 */
@Command(name = "intake-times", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "java -cp <render-core's class path> farm.render.core.scene.testing.IntakeTimes [--runs N] [--warmup W] [--isolated] SCENE...",
        description = "import, BVH build and package encoding times of scene files, in process; or the whole isolated intake (--isolated)")
public final class IntakeTimes implements Callable<Integer> {
    @Option(names = "--runs", paramLabel = "N", description = "measured runs per scene (default ${DEFAULT-VALUE})")
    private int runs = 5;
    @Option(names = "--warmup", paramLabel = "W", description = "runs before measuring, for the JIT (default ${DEFAULT-VALUE})")
    private int warmup = 1;
    @Option(names = "--isolated", description = "time the coordinator's whole intake instead: its isolated import, a fresh child JVM"
            + " each run, source file to package file; with " + IsolatedImport.PHASES_VARIABLE + "=FILE set, each child appends its"
            + " steps' seconds to FILE")
    private boolean isolated;
    @Parameters(paramLabel = "SCENE", arity = "1..*", description = "scene files (.glb, .gltf, ...)")
    private List<Path> scenes;
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.of(new IntakeTimes()).execute(args));
    }

    /** Seconds of wall and process CPU time for one phase of one run. */
    private record Cost(double wall, double cpu) {
    }

    @Override
    public Integer call() throws IOException, InvalidSceneException {
        if (runs < 1 || warmup < 0) {
            throw CommandLines.mistake(spec, "need --runs >= 1 and --warmup >= 0");
        }
        System.out.printf(Locale.ROOT, "Java %s, %d cores, heap %d MiB, load average %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
        for (Path file : scenes) {
            if (isolated) {
                measureIsolated(file);
            } else {
                measure(file);
            }
        }
        return 0;
    }

    private void measure(Path file) throws IOException, InvalidSceneException {
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1);
        byte[] source = Files.readAllBytes(file);
        Cost[][] costs = new Cost[3][runs];
        String digest = null;
        int triangles = 0;
        for (int r = -warmup; r < runs; r++) {
            long[] t0 = now();
            Scene scene = SceneImporter.importScene(source, extension);
            long[] t1 = now();
            Bvh bvh = BvhBuilder.build(scene.positions());
            long[] t2 = now();
            byte[] pkg = ScenePackage.encode(scene);
            String hex = Digests.sha256Hex(pkg);
            long[] t3 = now();
            if (!bvh.equals(scene.bvh()) || (digest != null && !digest.equals(hex))) {
                throw new IllegalStateException(name + ": the same scene gave another hierarchy or package");
            }
            digest = hex;
            triangles = scene.triangleCount();
            if (r >= 0) {
                costs[0][r] = cost(t0, t1);
                costs[1][r] = cost(t1, t2);
                costs[2][r] = cost(t2, t3);
            }
            System.out.printf(Locale.ROOT, "  %s run %d: import %.3f s (cpu %.3f), bvh %.3f s (cpu %.3f), encode+hash %.3f s%n",
                    name, r, cost(t0, t1).wall, cost(t0, t1).cpu, cost(t1, t2).wall, cost(t1, t2).cpu, cost(t2, t3).wall);
        }
        System.out.printf(Locale.ROOT, "%s: %,d triangles, median of %d runs (min-max), package sha256 %s%n", name, triangles, runs, digest);
        String[] phases = {"import (BVH included)", "BVH build alone", "encode + sha256"};
        for (int p = 0; p < phases.length; p++) {
            System.out.printf(Locale.ROOT, "  %-22s wall %s s, cpu %s s%n", phases[p], summary(costs[p], true), summary(costs[p], false));
        }
        double importWall = median(costs[0], true);
        System.out.printf(Locale.ROOT, "  import per million triangles: %.2f s%n", importWall / triangles * 1e6);
    }

    /** The coordinator's default intake settings (farm.intake.*): import heap, time limit, triangles and package bytes. */
    private static IsolatedImport coordinatorImport() {
        return new IsolatedImport(IsolatedImport.defaultClasspath(), new ImportHeap(256, 32, 4096), Duration.ofSeconds(120),
                new IsolatedImport.Limits(20_000_000, 1L << 30));
    }

    private void measureIsolated(Path file) throws IOException, InvalidSceneException {
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1);
        IsolatedImport importer = coordinatorImport();
        Path pkg = Files.createTempFile("intake-times-", ".pkg");
        try {
            Cost[] costs = new Cost[runs];
            IsolatedImport.Compiled compiled = null;
            for (int r = -warmup; r < runs; r++) {
                long[] t0 = now();
                IsolatedImport.Compiled c = importer.compile(file, extension, pkg);
                Cost cost = cost(t0, now());
                if (compiled != null && !compiled.packageDigest().equals(c.packageDigest())) {
                    throw new IllegalStateException(name + ": the same scene gave another package");
                }
                compiled = c;
                if (r >= 0) {
                    costs[r] = cost;
                }
                System.out.printf(Locale.ROOT, "  %s run %d: intake %.3f s, load average %s%n", name, r, cost.wall, loadAverage());
            }
            int triangles = compiled.summary().triangles();
            System.out.printf(Locale.ROOT, "%s: %,d triangles, package %,d bytes (%.1f per triangle), sha256 %s%n", name, triangles,
                    compiled.packageBytes(), (double) compiled.packageBytes() / triangles, compiled.packageDigest());
            System.out.printf(Locale.ROOT, "  isolated intake wall %s s; per million triangles: %.2f s%n", summary(costs, true),
                    median(costs, true) / triangles * 1e6);
        } finally {
            Files.deleteIfExists(pkg);
        }
    }

    private static long[] now() {
        return new long[] {System.nanoTime(), processCpuNanos()};
    }

    private static Cost cost(long[] from, long[] to) {
        return new Cost((to[0] - from[0]) / 1e9, (to[1] - from[1]) / 1e9);
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static String summary(Cost[] costs, boolean wall) {
        double[] v = values(costs, wall);
        return String.format(Locale.ROOT, "%.3f (%.3f-%.3f)", median(costs, wall), v[0], v[v.length - 1]);
    }

    private static double median(Cost[] costs, boolean wall) {
        double[] v = values(costs, wall);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double[] values(Cost[] costs, boolean wall) {
        double[] v = Arrays.stream(costs).mapToDouble(c -> wall ? c.wall : c.cpu).toArray();
        Arrays.sort(v);
        return v;
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
