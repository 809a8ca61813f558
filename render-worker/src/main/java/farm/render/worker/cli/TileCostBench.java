package farm.render.worker.cli;

import farm.render.core.planning.TilePlanner;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench tiles [--width W] [--height H] [--tile T] [--spp S] [--bounces B] [--rounds R]}: what
 * splitting a frame into tiles costs. Renders the Cornell box once as one full-frame request and once as
 * T×T tiles, each tile its own request as a worker renders a task, in rounds ordered full, tiles, tiles,
 * full, … so drift in machine load falls on both; prints wall and process CPU time of each and the
 * tiles/full ratios. CPU time counts only this process's threads (lavapipe's included), so it holds
 * steady on a machine other work is loading. Last, the fixed cost of one request (a one-pixel render)
 * times the tile count says how much of the difference is per-request overhead.
 */
final class TileCostBench {
    static final String USAGE = "usage: bench tiles [--width W] [--height H] [--tile T] [--spp S] [--bounces B] [--rounds R]";

    private TileCostBench() {
    }

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

    static int run(String[] args, PrintStream out, PrintStream err) {
        int width = 1920;
        int height = 1080;
        int tile = 64;
        int spp = 1;
        int bounces = 4;
        int rounds = 2;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--width" -> width = BenchCommand.positive(args, ++i);
                    case "--height" -> height = BenchCommand.positive(args, ++i);
                    case "--tile" -> tile = BenchCommand.positive(args, ++i);
                    case "--spp" -> spp = BenchCommand.positive(args, ++i);
                    case "--bounces" -> bounces = BenchCommand.positive(args, ++i);
                    case "--rounds" -> rounds = BenchCommand.positive(args, ++i);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            new FrameRequest(width, height, 0, spp, bounces, 1L);
        } catch (IllegalArgumentException e) {
            err.println("bench tiles: " + e.getMessage());
            err.println(USAGE);
            return 2;
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
