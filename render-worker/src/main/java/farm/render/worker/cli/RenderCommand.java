package farm.render.worker.cli;

import farm.render.core.cli.CommandLines;
import farm.render.core.cli.WholeNumbers;
import farm.render.core.image.Exr;
import farm.render.core.image.FrameAssembler;
import farm.render.core.image.Png;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TilePlanner;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.core.scene.ScenePackage;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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
 * {@code render SCENE [--frame N] [--spp S] [--width W] [--height H] [--bounces B] [--tile T] [--view standard|filmic]
 * [--clamp-indirect C] -o OUT.png|OUT.exr}: renders one frame of a scene file locally, tile by tile, and writes an sRGB PNG (the
 * "Standard" view, or a filmic curve) or, for a .exr name, linear float RGB.
 * Exit codes: 0 done, 1 render or write failure, 2 bad arguments or scene, 3 no renderer on this machine.
 */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {"render SCENE [--frame N] [--spp S] [--width W] [--height H] [--bounces B] [--tile T]",
                "              [--view standard|filmic] [--clamp-indirect C] -o OUT.png|OUT.exr"},
        description = "render locally with the worker's renderer, no services",
        footer = "%nexit codes: 0 done, 1 render or write failure, 2 bad arguments or scene, 3 no renderer on this machine")
public final class RenderCommand implements Callable<Integer> {
    /** The local command renders with a fixed seed so repeated runs give the same image. */
    static final long SEED = 1L;

    @Parameters(paramLabel = "SCENE", description = "a glTF, GLB, OBJ, FBX or other scene file Assimp reads")
    private Path scene;
    @Option(names = {"-o", "--output"}, paramLabel = "OUT.png", required = true,
            description = "the image to write: an sRGB PNG, or linear float RGB for a .exr name")
    private Path output;
    @Option(names = "--frame", converter = WholeNumbers.NotNegative.class, paramLabel = "N",
            description = "the animation frame (default ${DEFAULT-VALUE})")
    private int frame = 0;
    @Option(names = "--spp", converter = WholeNumbers.Positive.class, paramLabel = "S",
            description = "samples per pixel (default ${DEFAULT-VALUE})")
    private int spp = 64;
    @Option(names = "--width", converter = WholeNumbers.Positive.class, paramLabel = "W",
            description = "width in pixels (default ${DEFAULT-VALUE})")
    private int width = 512;
    @Option(names = "--height", converter = WholeNumbers.Positive.class, paramLabel = "H",
            description = "height in pixels (default ${DEFAULT-VALUE})")
    private int height = 512;
    @Option(names = "--bounces", converter = WholeNumbers.NotNegative.class, paramLabel = "B",
            description = "most bounces of a path (default ${DEFAULT-VALUE})")
    private int bounces = 8;
    @Option(names = "--tile", converter = WholeNumbers.Positive.class, paramLabel = "T",
            description = "tile size in pixels, as the farm splits a frame (default ${DEFAULT-VALUE})")
    private int tile = 64;
    @Option(names = "--view", paramLabel = "standard|filmic", description = "the display view of a PNG (default: standard)")
    private DisplayView view = DisplayView.STANDARD;
    @Option(names = "--clamp-indirect", paramLabel = "C",
            description = "largest radiance one indirect light sample may add (fewer fireflies); 0, the default, is off")
    private float clampIndirect = 0f;
    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    /** The command as the worker jar runs it, on the process's streams. */
    public RenderCommand() {
        this(System.out, System.err);
    }

    private RenderCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command; {@code args} are the words after "render" (a leading "render" is skipped). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String[] rest = args.length > 0 && args[0].equals("render") ? Arrays.copyOfRange(args, 1, args.length) : args;
        return CommandLines.execute(new RenderCommand(out, err), out, err, rest);
    }

    @Override
    public Integer call() {
        check();
        Scene scene;
        try {
            // through the canonical package, as the farm's workers get it: the same quantized hierarchy, the same pixels
            scene = ScenePackage.decode(ScenePackage.encode(SceneImporter.importScene(Files.readAllBytes(this.scene), extension(this.scene))));
        } catch (IOException e) {
            err.println("render: cannot read " + this.scene + ": " + e.getMessage());
            return 2;
        } catch (InvalidSceneException e) {
            err.println("render: " + this.scene + " is not a scene this renderer can draw: " + e.getMessage());
            return 2;
        }
        for (String feature : scene.unsupported()) {
            err.println("render: note: not rendered: " + feature);
        }
        if (scene.animation().isAnimated()) {
            err.println("render: " + scene.animation().summary() + "; rendering frame " + frame);
        }
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            String placed = scene.instances().isEmpty() ? "" : String.format(Locale.ROOT, " (%,d shown: %,d instances)",
                    scene.placedTriangleCount(), scene.instances().count());
            err.println("render: " + scene.triangleCount() + " triangles" + placed + ", " + scene.emissiveTriangleCount()
                    + " emissive, on " + renderer.deviceName());
            TileImage image = render(renderer, scene);
            Path written = output.toAbsolutePath();
            if (written.getParent() != null) {
                Files.createDirectories(written.getParent());
            }
            if (extension(written).equals("exr")) {
                Files.write(written, Exr.encode(image));
            } else {
                Files.write(written, Png.encodeSrgb(view.apply(image)));
            }
            out.println(written);
            return 0;
        } catch (RendererUnavailableException e) {
            err.println("render: " + e.getMessage());
            return 3;
        } catch (IOException e) {
            err.println("render: cannot write " + output + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("render: rendering failed: " + e.getMessage());
            return 1;
        }
    }

    /** The options' converters check the lower bounds; the frame request checks the upper ones and says which value is wrong. */
    private void check() {
        if (!(clampIndirect >= 0) || !Float.isFinite(clampIndirect)) {
            throw CommandLines.mistake(spec, "--clamp-indirect must be 0 (off) or a positive number, got " + clampIndirect);
        }
        try {
            new FrameRequest(width, height, frame, spp, bounces, SEED, clampIndirect);
        } catch (IllegalArgumentException e) {
            throw CommandLines.mistake(spec, e.getMessage());
        }
    }

    private TileImage render(VulkanRenderer renderer, Scene scene) {
        FrameRequest request = new FrameRequest(width, height, frame, spp, bounces, SEED, clampIndirect);
        List<TileRect> tiles = TilePlanner.plan(width, height, tile);
        FrameAssembler assembler = new FrameAssembler(width, height);
        String sceneKey = scene.geometryKey(this.scene.toAbsolutePath().toString(), frame);
        Scene posed = scene.posed(frame);
        Progress progress = new Progress(err, tiles.size(), (long) width * height * spp);
        for (TileRect rect : tiles) {
            TileImage image = renderer.renderTile(posed, sceneKey, request, rect);
            assembler.paste(rect, image);
            progress.tileDone((long) rect.pixelCount() * spp);
        }
        progress.finish();
        return assembler.frame();
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
}
