package farm.render.worker;

import farm.render.worker.cli.RenderCommand;
import farm.render.worker.daemon.TileWorker;
import farm.render.worker.daemon.WorkerOptions;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * {@code render-worker run --kafka HOST:PORT [--id ID] [--tiers …]} joins the farm;
 * {@code render-worker render SCENE … -o OUT.png} renders locally with no services.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int status = switch (command) {
            case "run" -> runDaemon(rest);
            case "render" -> RenderCommand.run(rest);
            case "bench" -> farm.render.worker.cli.BenchCommand.run(rest);
            default -> {
                System.err.println("usage: render-worker run --kafka HOST:PORT [--id ID] [--tiers priority,standard,economy]\n"
                        + "       render-worker render SCENE [--frame N] [--spp S] [--width W] [--height H] -o OUT.png");
                yield command.equals("help") ? 0 : 2;
            }
        };
        System.exit(status);
    }

    private static int runDaemon(String[] args) {
        WorkerOptions options;
        try {
            options = WorkerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("render-worker: " + e.getMessage());
            return 2;
        }
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            TileWorker worker = new TileWorker(options, renderer);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                worker.stop();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            try {
                worker.run();
            } finally {
                stopped.countDown();
            }
            return 0;
        } catch (RendererUnavailableException e) {
            System.err.println("render-worker: " + e.getMessage());
            return 3;
        }
    }
}
