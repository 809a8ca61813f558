package farm.render.verifier;

import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;

import java.util.concurrent.CountDownLatch;

/** {@code frame-verifier --kafka HOST:PORT [--pixels K] [--tolerate M]}. */
public final class VerifierMain {
    private VerifierMain() {
    }

    public static void main(String[] args) {
        String kafka = System.getenv("FARM_KAFKA");
        int pixels = 16;
        int tolerate = 0;
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--kafka" -> kafka = args[i + 1];
                    case "--pixels" -> pixels = Integer.parseInt(args[i + 1]);
                    case "--tolerate" -> tolerate = Integer.parseInt(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (kafka == null || kafka.isBlank()) {
                throw new IllegalArgumentException("--kafka HOST:PORT is required");
            }
            if (pixels < 1 || tolerate < 0 || tolerate >= pixels) {
                throw new IllegalArgumentException("need --pixels >= 1 and 0 <= --tolerate < --pixels");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("frame-verifier: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            VerifierService service = new VerifierService(kafka, SpotCheck.standard(renderer, pixels, tolerate));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.stop();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            try {
                service.run();
            } finally {
                stopped.countDown();
            }
        } catch (RendererUnavailableException e) {
            System.err.println("frame-verifier: " + e.getMessage());
            System.exit(3);
        }
    }
}
