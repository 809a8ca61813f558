package farm.render.worker.cli;

import farm.render.core.planning.TileRect;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench [--size N] [--spp S] [--bounces B] [--repeat R]}: renders a fixed set of built-in scenes
 * (the Cornell box sample and a generated 100k-triangle sphere grid) and prints a device score in paths
 * per second: per scene, one warm-up render, then the median of R timed renders; the score is the
 * geometric mean over scenes. Exit codes as for render. {@code bench tiles} measures what tiling a
 * frame costs ({@link TileCostBench}).
 */
public final class BenchCommand {
    static final String USAGE = "usage: bench [--size N] [--spp S] [--bounces B] [--repeat R]\n       bench tiles [--width W] [--height H] [--tile T] [--spp S] [--bounces B] [--rounds R]";
    static final int LARGE_SCENE_TRIANGLES = 100_000;

    private BenchCommand() {
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        int first = args.length > 0 && args[0].equals("bench") ? 1 : 0;
        if (args.length > first && args[first].equals("tiles")) {
            return TileCostBench.run(Arrays.copyOfRange(args, first + 1, args.length), out, err);
        }
        int size = 128;
        int spp = 16;
        int bounces = 8;
        int repeat = 5;
        try {
            for (int i = args.length > 0 && args[0].equals("bench") ? 1 : 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--size" -> size = positive(args, ++i);
                    case "--spp" -> spp = positive(args, ++i);
                    case "--bounces" -> bounces = positive(args, ++i);
                    case "--repeat" -> repeat = positive(args, ++i);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            new FrameRequest(size, size, 0, spp, bounces, 1L);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<String> names = new ArrayList<>();
        List<Scene> scenes = new ArrayList<>();
        try {
            names.add("cornell-box");
            scenes.add(SceneImporter.importScene(Files.readAllBytes(cornellBox()), "gltf"));
        } catch (IOException | InvalidSceneException e) {
            err.println("bench: cannot load the Cornell box sample: " + e.getMessage());
            return 2;
        }
        names.add("sphere-grid-100k");
        scenes.add(BenchScenes.sphereGrid(LARGE_SCENE_TRIANGLES));

        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            out.printf(Locale.ROOT, "device: %s%n", renderer.deviceName());
            out.printf(Locale.ROOT, "settings: %dx%d, %d spp, %d bounces, 1 warm-up + median of %d%n", size, size, spp, bounces, repeat);
            FrameRequest request = new FrameRequest(size, size, 0, spp, bounces, 1L);
            TileRect full = new TileRect(0, 0, size, size);
            double logSum = 0;
            for (int s = 0; s < scenes.size(); s++) {
                Scene scene = scenes.get(s);
                renderer.renderTile(scene, names.get(s), request, full);
                double[] rates = new double[repeat];
                for (int r = 0; r < repeat; r++) {
                    long start = System.nanoTime();
                    renderer.renderTile(scene, names.get(s), request, full);
                    rates[r] = (double) size * size * spp / ((System.nanoTime() - start) / 1e9);
                }
                Arrays.sort(rates);
                double median = rates[repeat / 2];
                logSum += Math.log(median);
                out.printf(Locale.ROOT, "%-18s %8d triangles  %12.0f paths/s (min %.0f, max %.0f)%n", names.get(s),
                        scene.triangleCount(), median, rates[0], rates[repeat - 1]);
            }
            out.printf(Locale.ROOT, "score: %.0f paths/s%n", Math.exp(logSum / scenes.size()));
            return 0;
        } catch (RendererUnavailableException e) {
            err.println("bench: " + e.getMessage());
            return 3;
        } catch (RuntimeException e) {
            err.println("bench: rendering failed: " + e.getMessage());
            return 1;
        }
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

    static int positive(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v < 1) {
                throw new IllegalArgumentException(args[i - 1] + " must be at least 1");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[i - 1] + " needs a whole number, got " + args[i]);
        }
    }
}
