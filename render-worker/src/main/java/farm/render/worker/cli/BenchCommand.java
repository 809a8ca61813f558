package farm.render.worker.cli;

import farm.render.core.cli.CommandLines;
import farm.render.core.cli.WholeNumbers;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.TileRenderer;
import farm.render.worker.render.VulkanRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench [--size N] [--spp S] [--bounces B] [--repeat R]}: renders a fixed set of built-in scenes
 * (the Cornell box sample and a generated 100k-triangle sphere grid) and prints a device score in paths
 * per second: per scene, one warm-up render, then the median of R timed renders; the score is the
 * geometric mean over scenes. Exit codes as for render. {@code bench --start} runs the worker's short
 * start preset instead ({@link #startScore}). {@code bench tiles} measures what tiling a frame costs
 * ({@link TileCostBench}); {@code bench scenes} what production-size scenes cost ({@link SceneBench}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = {TileCostBench.class, DeterminismBench.class, SceneBench.class},
        customSynopsis = {"bench [--size N] [--spp S] [--bounces B] [--repeat R]", "       bench --start",
                "       bench tiles [--width W] [--height H] [--tile T] [--spp S] [--bounces B] [--rounds R]",
                "       bench determinism [--size N] [--spp S] [--bounces B] [--rounds R] [--baseline-jar J]",
                "       bench scenes [--sizes 10k,100k,1m,5m,10m] [--forest N] [--tree T] [--spp S] [--rounds R] [--no-cycles] [--keep DIR]"},
        description = "renderer benchmark: a device score in paths per second",
        footer = "%nexit codes: 0 done, 1 render failure, 2 bad arguments, 3 no renderer on this machine")
public final class BenchCommand implements Callable<Integer> {
    static final int LARGE_SCENE_TRIANGLES = 100_000;
    /** The names of {@link #scenes()}, in order. */
    static final List<String> NAMES = List.of("cornell-box", "sphere-grid-100k");
    /** Triangles of the start preset's sphere grid. */
    static final int START_SCENE_TRIANGLES = 10_000;
    /** The names of the start preset's scenes, in order. */
    static final List<String> START_NAMES = List.of("cornell-box", "sphere-grid-10k");
    /**
     * The start preset, named in the kept score's key so a change of preset measures again: the same
     * two kinds of scene, smaller (10k triangles), at 48x48, 4 spp, 4 bounces, 1 warm-up + median of 3.
     */
    public static final String START_PRESET = "start-48px-4spp-4b";

    @Option(names = "--size", converter = WholeNumbers.Positive.class, paramLabel = "N",
            description = "width and height of each render in pixels (default ${DEFAULT-VALUE})")
    private int size = 128;
    @Option(names = "--spp", converter = WholeNumbers.Positive.class, paramLabel = "S",
            description = "samples per pixel (default ${DEFAULT-VALUE})")
    private int spp = 16;
    @Option(names = "--bounces", converter = WholeNumbers.Positive.class, paramLabel = "B",
            description = "most bounces of a path (default ${DEFAULT-VALUE})")
    private int bounces = 8;
    @Option(names = "--repeat", converter = WholeNumbers.Positive.class, paramLabel = "R",
            description = "timed renders per scene after one warm-up (default ${DEFAULT-VALUE})")
    private int repeat = 5;
    @Option(names = "--start", description = "the worker's short start preset (" + START_PRESET + ") instead")
    private boolean start;
    @Spec
    private CommandSpec spec;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() {
        if (start) {
            return runStart(out, err);
        }
        try {
            new FrameRequest(size, size, 0, spp, bounces, 1L);
        } catch (IllegalArgumentException e) {
            throw CommandLines.mistake(spec, e.getMessage());
        }
        List<Scene> scenes;
        try {
            scenes = scenes();
        } catch (IOException | InvalidSceneException e) {
            err.println("bench: cannot load the Cornell box sample: " + e.getMessage());
            return 2;
        }
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            out.printf(Locale.ROOT, "device: %s%n", renderer.deviceName());
            out.printf(Locale.ROOT, "settings: %dx%d, %d spp, %d bounces, 1 warm-up + median of %d%n", size, size, spp, bounces, repeat);
            double score = score(renderer, scenes, NAMES, size, spp, bounces, repeat, out);
            out.printf(Locale.ROOT, "score: %.0f paths/s%n", score);
            return 0;
        } catch (RendererUnavailableException e) {
            err.println("bench: " + e.getMessage());
            return 3;
        } catch (RuntimeException e) {
            err.println("bench: rendering failed: " + e.getMessage());
            return 1;
        }
    }

    private static int runStart(PrintStream out, PrintStream err) {
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            out.printf(Locale.ROOT, "device: %s%n", renderer.deviceName());
            out.printf(Locale.ROOT, "settings: start preset %s%n", START_PRESET);
            long start = System.nanoTime();
            double score = score(renderer, startScenes(), START_NAMES, 48, 4, 4, 3, out);
            out.printf(Locale.ROOT, "score: %.0f paths/s (start preset, in %.1f s)%n", score, (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (IOException | InvalidSceneException e) {
            err.println("bench: cannot load the Cornell box sample: " + e.getMessage());
            return 2;
        } catch (RendererUnavailableException e) {
            err.println("bench: " + e.getMessage());
            return 3;
        } catch (RuntimeException e) {
            err.println("bench: rendering failed: " + e.getMessage());
            return 1;
        }
    }

    /** The start preset's scenes: the Cornell box sample and a sphere grid of {@link #START_SCENE_TRIANGLES}. */
    static List<Scene> startScenes() throws IOException, InvalidSceneException {
        return List.of(SceneImporter.importScene(Files.readAllBytes(cornellBox()), "gltf"), BenchScenes.sphereGrid(START_SCENE_TRIANGLES));
    }

    /**
     * The worker's start score: {@link #START_PRESET}, seconds on lavapipe where the full benchmark takes
     * minutes. Its figure is not comparable with {@code ./farm bench}'s score (other scenes and settings).
     */
    public static double startScore(TileRenderer renderer) throws IOException, InvalidSceneException {
        return score(renderer, startScenes(), START_NAMES, 48, 4, 4, 3, null);
    }

    /** The built-in scenes: the Cornell box sample and a sphere grid of {@link #LARGE_SCENE_TRIANGLES}. */
    public static List<Scene> scenes() throws IOException, InvalidSceneException {
        return List.of(SceneImporter.importScene(Files.readAllBytes(cornellBox()), "gltf"), BenchScenes.sphereGrid(LARGE_SCENE_TRIANGLES));
    }

    /** The device score with the default settings ({@code ./farm bench}'s), printing nothing. */
    public static double score(TileRenderer renderer) throws IOException, InvalidSceneException {
        return score(renderer, scenes(), NAMES, 128, 16, 8, 5, null);
    }

    /**
     * Paths per second: the geometric mean over {@link #scenes()} of the median of {@code repeat} timed
     * renders after one warm-up; one line per scene to {@code out} when it is given.
     */
    static double score(TileRenderer renderer, List<Scene> scenes, List<String> names, int size, int spp, int bounces, int repeat,
                        PrintStream out) {
        FrameRequest request = new FrameRequest(size, size, 0, spp, bounces, 1L);
        TileRect full = new TileRect(0, 0, size, size);
        double logSum = 0;
        for (int s = 0; s < scenes.size(); s++) {
            Scene scene = scenes.get(s);
            String key = names.get(s);
            renderer.renderTile(scene, key, request, full);
            double[] rates = new double[repeat];
            double[] cpuRates = new double[repeat];
            for (int r = 0; r < repeat; r++) {
                long cpu = TileCostBench.processCpuNanos();
                long start = System.nanoTime();
                renderer.renderTile(scene, key, request, full);
                double paths = (double) size * size * spp;
                rates[r] = paths / ((System.nanoTime() - start) / 1e9);
                cpuRates[r] = paths / (Math.max(1, TileCostBench.processCpuNanos() - cpu) / 1e9);
            }
            Arrays.sort(rates);
            Arrays.sort(cpuRates);
            double median = rates[repeat / 2];
            logSum += Math.log(median);
            if (out != null) {
                // Paths per CPU second (this process's threads, a CPU device's included) move less than wall
                // time when other work loads the machine; on a GPU they only count the host's share.
                out.printf(Locale.ROOT, "%-18s %8d triangles  %12.0f paths/s (min %.0f, max %.0f)  %10.0f paths/cpu-s%n",
                        key, scene.triangleCount(), median, rates[0], rates[repeat - 1], cpuRates[repeat / 2]);
            }
        }
        return Math.exp(logSum / scenes.size());
    }

    /** The sample scene, found from the farm's root (FARM_ROOT, set by ./farm) or the working directory. */
    static Path cornellBox() {
        String root = System.getenv("FARM_ROOT");
        Path relative = Path.of("samples", "cornell-box", "cornell-box.gltf");
        if (root != null && Files.isRegularFile(Path.of(root).resolve(relative))) {
            return Path.of(root).resolve(relative);
        }
        return Files.isRegularFile(relative) ? relative : Path.of("..").resolve(relative);
    }
}
