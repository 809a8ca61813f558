package farm.render.worker.cli;

import farm.render.core.cli.CommandLines;
import farm.render.core.cli.WholeNumbers;
import farm.render.core.planning.TilePlanner;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench tiles [--width W] [--height H] [--tile T] [--spp S] [--bounces B] [--rounds R]}: what
 * splitting a frame into tiles costs. Renders the Cornell box once as one full-frame request and once as
 * T×T tiles, each tile its own request as a worker renders a task, in rounds ordered full, tiles, tiles,
 * full, … so drift in machine load falls on both; prints wall and process CPU time of each and the
 * tiles/full ratios. CPU time counts only this process's threads (lavapipe's included), so it holds
 * steady on a machine other work is loading. Last, the fixed cost of one request (a one-pixel render)
 * times the tile count says how much of the difference is per-request overhead.
 */
@Command(name = "tiles", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "bench tiles [--width W] [--height H] [--tile T] [--spp S] [--bounces B] [--rounds R]",
        description = "what tiling costs: a 1920x1080 Cornell box frame as 64x64 tiles against one full-frame render",
        footer = "%nexit codes: 0 done, 1 render failure, 2 bad arguments, 3 no renderer on this machine")
final class TileCostBench implements Callable<Integer> {
    @Option(names = "--width", converter = WholeNumbers.Positive.class, paramLabel = "W",
            description = "frame width in pixels (default ${DEFAULT-VALUE})")
    private int width = 1920;
    @Option(names = "--height", converter = WholeNumbers.Positive.class, paramLabel = "H",
            description = "frame height in pixels (default ${DEFAULT-VALUE})")
    private int height = 1080;
    @Option(names = "--tile", converter = WholeNumbers.Positive.class, paramLabel = "T",
            description = "tile size in pixels (default ${DEFAULT-VALUE})")
    private int tile = 64;
    @Option(names = "--spp", converter = WholeNumbers.Positive.class, paramLabel = "S",
            description = "samples per pixel (default ${DEFAULT-VALUE})")
    private int spp = 1;
    @Option(names = "--bounces", converter = WholeNumbers.Positive.class, paramLabel = "B",
            description = "most bounces of a path (default ${DEFAULT-VALUE})")
    private int bounces = 4;
    @Option(names = "--rounds", converter = WholeNumbers.Positive.class, paramLabel = "R",
            description = "rounds of full frame and tiles, alternating (default ${DEFAULT-VALUE})")
    private int rounds = 2;
    @Spec
    private CommandSpec spec;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    /** CPU time of every thread of this process, lavapipe's included. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The median wall time of a one-pixel, one-sample request: what each request costs besides its paths. */
    static long requestOverheadNanos(VulkanRenderer renderer, Scene scene, int width, int height) {
        FrameRequest one = new FrameRequest(width, height, 0, 1, 1, 1L);
        TileRect pixel = new TileRect(0, 0, 1, 1);
        long[] times = new long[101];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            renderer.renderTile(scene, "cornell-box", one, pixel);
            times[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }

    @Override
    public Integer call() {
        try {
            new FrameRequest(width, height, 0, spp, bounces, 1L);
        } catch (IllegalArgumentException e) {
            throw CommandLines.mistake(spec, e.getMessage());
        }
        Scene scene;
        try {
            scene = SceneImporter.importScene(Files.readAllBytes(BenchCommand.cornellBox()), "gltf");
        } catch (IOException | InvalidSceneException e) {
            err.println("bench tiles: cannot load the Cornell box sample: " + e.getMessage());
            return 2;
        }
        FrameRequest request = new FrameRequest(width, height, 0, spp, bounces, 1L);
        TileRect full = new TileRect(0, 0, width, height);
        List<TileRect> tiles = TilePlanner.plan(width, height, tile);
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            out.printf(Locale.ROOT, "device: %s%n", renderer.deviceName());
            out.printf(Locale.ROOT, "settings: cornell-box %dx%d, %d spp, %d bounces; %d tiles of %dx%d; %d round(s)%n",
                    width, height, spp, bounces, tiles.size(), tile, tile, rounds);
            renderer.renderTile(scene, "cornell-box", new FrameRequest(width, height, 0, 1, 1, 1L), tiles.get(0)); // upload, warm caches
            long fullNanos = 0;
            long tileNanos = 0;
            long fullCpu = 0;
            long tileCpu = 0;
            for (int r = 0; r < rounds; r++) {
                boolean fullFirst = r % 2 == 0;
                for (int half = 0; half < 2; half++) {
                    long start = System.nanoTime();
                    long cpuStart = processCpuNanos();
                    boolean fullFrame = (half == 0) == fullFirst;
                    if (fullFrame) {
                        renderer.renderTile(scene, "cornell-box", request, full);
                    } else {
                        for (TileRect t : tiles) {
                            renderer.renderTile(scene, "cornell-box", request, t);
                        }
                    }
                    long took = System.nanoTime() - start;
                    long cpu = processCpuNanos() - cpuStart;
                    if (fullFrame) {
                        fullNanos += took;
                        fullCpu += cpu;
                    } else {
                        tileNanos += took;
                        tileCpu += cpu;
                    }
                    out.printf(Locale.ROOT, "round %d %-11s %8.2f s wall %8.2f s cpu%n", r + 1, fullFrame ? "full frame:" : "tiles:",
                            took / 1e9, cpu / 1e9);
                }
            }
            double paths = (double) width * height * spp * rounds;
            out.printf(Locale.ROOT, "full frame: %.2f s wall (%.0f paths/s), %.2f s cpu%n", fullNanos / 1e9 / rounds,
                    paths / (fullNanos / 1e9), fullCpu / 1e9 / rounds);
            out.printf(Locale.ROOT, "tiles:      %.2f s wall (%.0f paths/s), %.2f s cpu%n", tileNanos / 1e9 / rounds,
                    paths / (tileNanos / 1e9), tileCpu / 1e9 / rounds);
            long overhead = requestOverheadNanos(renderer, scene, width, height);
            out.printf(Locale.ROOT, "per-request overhead: %.3f ms (one-pixel render, median of 101); x %d tiles = %.2f s = %.1f%% of the full frame%n",
                    overhead / 1e6, tiles.size(), overhead * tiles.size() / 1e9, 100.0 * overhead * tiles.size() * rounds / fullNanos);
            out.printf(Locale.ROOT, "tiles/full: wall %.3f (%+.1f%%), cpu %.3f (%+.1f%%)%n", (double) tileNanos / fullNanos,
                    100.0 * (tileNanos - fullNanos) / fullNanos, (double) tileCpu / fullCpu, 100.0 * (tileCpu - fullCpu) / fullCpu);
            return 0;
        } catch (RendererUnavailableException e) {
            err.println("bench tiles: " + e.getMessage());
            return 3;
        } catch (RuntimeException e) {
            err.println("bench tiles: rendering failed: " + e.getMessage());
            return 1;
        }
    }
}
