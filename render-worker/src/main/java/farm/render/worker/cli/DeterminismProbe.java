package farm.render.worker.cli;

import farm.render.core.image.Exr;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.InvalidSceneException;
import farm.render.worker.render.DeviceChoice;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The child process of {@code bench determinism}: renders each scene once on one device, in the numerical
 * configuration its environment sets, writes it as {@code OUT_DIR/NAME.exr} and prints its render time. It uses only
 * the renderer's long-standing calls, so it also runs against an earlier renderer version's jar put first on the
 * class path.
 *
 * <p>Arguments: {@code DEVICE WIDTH HEIGHT SPP BOUNCES OUT_DIR SCENE...} (scenes as {@link DeterminismScene#word()}).
 * Prints {@code device<TAB>NAME}, then per scene {@code scene<TAB>NAME<TAB>NANOS<TAB>PATHS<TAB>CPU_NANOS} (CPU time of
 * the whole process, a CPU device's threads included). Exit 0 done, 1 render or write failure, 2 bad arguments or
 * scene, 3 no such device.
 */
public final class DeterminismProbe {
    private DeterminismProbe() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 7) {
            err.println("usage: DeterminismProbe DEVICE WIDTH HEIGHT SPP BOUNCES OUT_DIR SCENE...");
            return 2;
        }
        int device = Integer.parseInt(args[0]);
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        Path outDir = Path.of(args[5]);
        try (VulkanRenderer renderer = VulkanRenderer.open(new DeviceChoice(OptionalInt.of(device), true))) {
            out.println("device\t" + renderer.deviceName());
            for (String word : Arrays.copyOfRange(args, 6, args.length)) {
                DeterminismScene scene = DeterminismScene.parse(word);
                DeterminismScene.Loaded loaded = scene.load();
                FrameRequest request = new FrameRequest(width, height, scene.frame(), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        RenderCommand.SEED);
                // one pixel first: the pipeline build and the scene upload stay out of the timed render
                renderer.renderTile(loaded.scene(), loaded.key(), request, new TileRect(0, 0, 1, 1));
                long cpu = TileCostBench.processCpuNanos();
                long start = System.nanoTime();
                TileImage image = renderer.renderTile(loaded.scene(), loaded.key(), request, new TileRect(0, 0, width, height));
                long nanos = System.nanoTime() - start;
                cpu = TileCostBench.processCpuNanos() - cpu;
                Files.write(outDir.resolve(scene.name() + ".exr"), Exr.encode(image));
                out.printf("scene\t%s\t%d\t%d\t%d%n", scene.name(), nanos, (long) width * height * request.spp(), cpu);
                out.flush();
            }
            return 0;
        } catch (RendererUnavailableException e) {
            err.println("probe: " + e.getMessage());
            return 3;
        } catch (InvalidSceneException | IllegalArgumentException e) {
            err.println("probe: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("probe: " + e);
            return 1;
        }
    }
}
