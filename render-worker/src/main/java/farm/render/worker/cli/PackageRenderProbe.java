package farm.render.worker.cli;

import farm.render.core.planning.TilePlanner;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.ScenePackage;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The child process of {@code bench scenes} that stands for a worker: reads a compiled package from disk and
 * decodes it as the worker's scene cache does, renders one pixel (the scene's upload), then the whole frame as
 * the farm's tiles, each its own request, a few times, and prints the median frame's time. Its own process, so its peak memory is a
 * worker's alone.
 *
 * <p>Arguments: {@code PACKAGE WIDTH HEIGHT SPP BOUNCES TILE}. Prints {@code device<TAB>NAME}, then
 * {@code render<TAB>TRIANGLES<TAB>DECODE_NANOS<TAB>UPLOAD_NANOS<TAB>RENDER_NANOS<TAB>PATHS<TAB>CPU_NANOS} (one frame's paths; CPU time
 * of the whole process per frame, lavapipe's threads included, steadier than wall time on a loaded machine). Exit 0 done,
 * 1 render failure, 2 bad arguments or package, 3 no renderer on this machine.
 */
public final class PackageRenderProbe {
    /** Frames timed: at least three, and more up to three seconds of rendering, so a small scene's figure is not one short sample. */
    private static final int MIN_FRAMES = 3;
    private static final int MAX_FRAMES = 40;
    private static final long MIN_NANOS = 3_000_000_000L;
    private PackageRenderProbe() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 6) {
            err.println("usage: PackageRenderProbe PACKAGE WIDTH HEIGHT SPP BOUNCES TILE");
            return 2;
        }
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        int spp = Integer.parseInt(args[3]);
        int tile = Integer.parseInt(args[5]);
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            out.println("device\t" + renderer.deviceName());
            long start = System.nanoTime();
            Scene scene = ScenePackage.decode(Files.readAllBytes(Path.of(args[0])));
            long decoded = System.nanoTime();
            String key = scene.geometryKey(args[0], 0);
            FrameRequest request = new FrameRequest(width, height, 0, spp, Integer.parseInt(args[4]), RenderCommand.SEED);
            renderer.renderTile(scene, key, request, new TileRect(0, 0, 1, 1));
            long uploaded = System.nanoTime();
            List<Long> frames = new ArrayList<>();
            long cpu = TileCostBench.processCpuNanos();
            for (long spent = 0; frames.size() < MIN_FRAMES || spent < MIN_NANOS && frames.size() < MAX_FRAMES; ) {
                long frameStart = System.nanoTime();
                for (TileRect rect : TilePlanner.plan(width, height, tile)) {
                    renderer.renderTile(scene, key, request, rect);
                }
                frames.add(System.nanoTime() - frameStart);
                spent += frames.get(frames.size() - 1);
            }
            cpu = (TileCostBench.processCpuNanos() - cpu) / frames.size();
            Collections.sort(frames);
            out.printf("render\t%d\t%d\t%d\t%d\t%d\t%d%n", scene.triangleCount(), decoded - start, uploaded - decoded, frames.get(frames.size() / 2),
                    (long) width * height * spp, cpu);
            return 0;
        } catch (IOException | InvalidSceneException | RuntimeException e) {
            err.println("probe: " + (e instanceof IOException ? e.toString() : e.getMessage()));
            return status(e);
        }
    }

    /** The exit status of a failure: the render command's codes. */
    private static int status(Exception e) {
        if (e instanceof RendererUnavailableException) {
            return 3;
        }
        return e instanceof InvalidSceneException || e instanceof IllegalArgumentException ? 2 : 1;
    }
}
