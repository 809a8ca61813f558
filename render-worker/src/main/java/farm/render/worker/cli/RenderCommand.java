package farm.render.worker.cli;

import farm.render.core.image.Exr;
import farm.render.core.image.FrameAssembler;
import farm.render.core.image.Png;
import farm.render.core.image.TileImage;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code render SCENE [--frame N] [--spp S] [--width W] [--height H] [--bounces B] [--tile T] [--view standard|filmic]
 * [--clamp-indirect C] -o OUT.png|OUT.exr}: renders one frame of a scene file locally, tile by tile, and writes an sRGB PNG (the
 * "Standard" view, or a filmic curve) or, for a .exr name, linear float RGB.
 * Exit codes: 0 done, 1 render or write failure, 2 bad arguments or scene, 3 no renderer on this machine.
 */
public final class RenderCommand {
    static final String USAGE = "usage: render SCENE [--frame N] [--spp S] [--width W] [--height H] [--bounces B]"
            + " [--tile T] [--view standard|filmic] [--clamp-indirect C] -o OUT.png|OUT.exr";
    /** The local command renders with a fixed seed so repeated runs give the same image. */
    static final long SEED = 1L;

    private RenderCommand() {
    }

    /** Runs the command; {@code args} are the words after "render" (a leading "render" is skipped). */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("render: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Scene scene;
        try {
            scene = SceneImporter.importScene(Files.readAllBytes(options.scene), extension(options.scene));
        } catch (IOException e) {
            err.println("render: cannot read " + options.scene + ": " + e.getMessage());
            return 2;
        } catch (InvalidSceneException e) {
            err.println("render: " + options.scene + " is not a scene this renderer can draw: " + e.getMessage());
            return 2;
        }
        for (String feature : scene.unsupported()) {
            err.println("render: note: not rendered: " + feature);
        }
        if (scene.animation().isAnimated()) {
            err.println("render: " + scene.animation().summary() + "; rendering frame " + options.frame);
        }
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            err.println("render: " + scene.triangleCount() + " triangles, " + scene.emissiveTriangleCount()
                    + " emissive, on " + renderer.deviceName());
            TileImage frame = render(renderer, scene, options, err);
            Path output = options.output.toAbsolutePath();
            if (output.getParent() != null) {
                Files.createDirectories(output.getParent());
            }
            if (extension(output).equals("exr")) {
                Files.write(output, Exr.encode(frame));
            } else {
                Files.write(output, Png.encodeSrgb(options.view.apply(frame)));
            }
            out.println(output);
            return 0;
        } catch (RendererUnavailableException e) {
            err.println("render: " + e.getMessage());
            return 3;
        } catch (IOException e) {
            err.println("render: cannot write " + options.output + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("render: rendering failed: " + e.getMessage());
            return 1;
        }
    }

    private static TileImage render(VulkanRenderer renderer, Scene scene, Options o, PrintStream err) {
        FrameRequest request = new FrameRequest(o.width, o.height, o.frame, o.spp, o.bounces, SEED, o.clampIndirect);
        List<TileRect> tiles = TilePlanner.plan(o.width, o.height, o.tile);
        FrameAssembler frame = new FrameAssembler(o.width, o.height);
        String sceneKey = scene.geometryKey(o.scene.toAbsolutePath().toString(), o.frame);
        scene = scene.posed(o.frame);
        Progress progress = new Progress(err, tiles.size(), (long) o.width * o.height * o.spp);
        for (TileRect rect : tiles) {
            TileImage tile = renderer.renderTile(scene, sceneKey, request, rect);
            frame.paste(rect, tile);
            progress.tileDone((long) rect.pixelCount() * o.spp);
        }
        progress.finish();
        return frame.frame();
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** One line on stderr, rewritten with \r: tiles done/total, percent, paths per second, ETA. */
    private static final class Progress {
        private static final int BAR = 30;
        private final PrintStream err;
        private final int tiles;
        private final long totalPaths;
        private final long start = System.nanoTime();
        private final long cpuStart = TileCostBench.processCpuNanos();
        private int done;
        private long paths;

        Progress(PrintStream err, int tiles, long totalPaths) {
            this.err = err;
            this.tiles = tiles;
            this.totalPaths = totalPaths;
        }

        void tileDone(long tilePaths) {
            done++;
            paths += tilePaths;
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            double rate = paths / seconds;
            double fraction = (double) paths / totalPaths;
            int filled = (int) Math.round(fraction * BAR);
            long eta = Math.round((totalPaths - paths) / Math.max(rate, 1e-9));
            err.printf(Locale.ROOT, "\r[%s%s] %d/%d tiles %5.1f%%  %s paths/s  ETA %s ",
                    "#".repeat(filled), " ".repeat(BAR - filled), done, tiles, fraction * 100,
                    human(rate), duration(eta));
            err.flush();
        }

        void finish() {
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (TileCostBench.processCpuNanos() - cpuStart) / 1e9;
            err.printf(Locale.ROOT, "%nrender: %d paths in %.2f s, %s paths/s, %.2f s of CPU%n", paths, seconds,
                    human(paths / Math.max(seconds, 1e-9)), cpuSeconds);
        }

        private static String human(double v) {
            if (v >= 1e9) {
                return String.format(Locale.ROOT, "%.2fG", v / 1e9);
            }
            if (v >= 1e6) {
                return String.format(Locale.ROOT, "%.2fM", v / 1e6);
            }
            if (v >= 1e3) {
                return String.format(Locale.ROOT, "%.1fk", v / 1e3);
            }
            return String.format(Locale.ROOT, "%.0f", v);
        }

        private static String duration(long seconds) {
            return seconds >= 3600
                    ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                    : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        }
    }

    /** Parsed command line with the documented defaults. */
    private static final class Options {
        Path scene;
        Path output;
        int frame = 0;
        int spp = 64;
        int width = 512;
        int height = 512;
        int bounces = 8;
        int tile = 64;
        DisplayView view = DisplayView.STANDARD;
        float clampIndirect = 0f;

        static Options parse(String[] args) {
            Options o = new Options();
            int i = 0;
            if (args.length > 0 && args[0].equals("render")) {
                i++;
            }
            for (; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--frame" -> o.frame = number(args, ++i, a, 0);
                    case "--spp" -> o.spp = number(args, ++i, a, 1);
                    case "--width" -> o.width = number(args, ++i, a, 1);
                    case "--height" -> o.height = number(args, ++i, a, 1);
                    case "--bounces" -> o.bounces = number(args, ++i, a, 0);
                    case "--tile" -> o.tile = number(args, ++i, a, 1);
                    case "--view" -> o.view = DisplayView.parse(value(args, ++i, a));
                    case "--clamp-indirect" -> o.clampIndirect = decimal(args, ++i, a);
                    case "-o", "--output" -> o.output = Path.of(value(args, ++i, a));
                    default -> {
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        if (o.scene != null) {
                            throw new IllegalArgumentException("only one scene file, got " + o.scene + " and " + a);
                        }
                        o.scene = Path.of(a);
                    }
                }
            }
            if (o.scene == null) {
                throw new IllegalArgumentException("no scene file given");
            }
            if (o.output == null) {
                throw new IllegalArgumentException("no output file given (-o OUT.png)");
            }
            // The frame request checks the upper bounds and says which value is wrong.
            new FrameRequest(o.width, o.height, o.frame, o.spp, o.bounces, SEED, o.clampIndirect);
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static float decimal(String[] args, int i, String option) {
            String v = value(args, i, option);
            try {
                float f = Float.parseFloat(v);
                if (!(f >= 0) || !Float.isFinite(f)) {
                    throw new IllegalArgumentException(option + " must be 0 (off) or a positive number, got " + v);
                }
                return f;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, got " + v);
            }
        }

        private static int number(String[] args, int i, String option, int min) {
            String v = value(args, i, option);
            try {
                int n = Integer.parseInt(v);
                if (n < min) {
                    throw new IllegalArgumentException(option + " must be at least " + min + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number, got " + v);
            }
        }
    }
}
