package farm.render.verifier;

import farm.render.core.credentials.ApiTokens;
import farm.render.core.wire.KafkaLogin;
import farm.render.verifier.trust.CoordinatorDirectory;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code frame-verifier --kafka HOST:PORT --coordinator URL [--token T] [--tolerate M]}. Keys and reputations
 * come from the coordinator's REST API, read with an operator's API token ({@code --token}, else
 * {@code $FARM_TOKEN}, else the token files {@link ApiTokens} names); the pixels checked per tile follow the
 * worker's reputation.
 */
public final class VerifierMain {
    private VerifierMain() {
    }

    public static void main(String[] args) {
        String kafka = System.getenv("FARM_KAFKA");
        String coordinator = System.getenv("FARM_COORDINATOR");
        int tolerate = 0;
        String tokenFlag = null;
        String token;
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--kafka" -> kafka = args[i + 1];
                    case "--coordinator" -> coordinator = args[i + 1];
                    case "--tolerate" -> tolerate = Integer.parseInt(args[i + 1]);
                    case "--token" -> tokenFlag = args[i + 1];
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (kafka == null || kafka.isBlank()) {
                throw new IllegalArgumentException("--kafka HOST:PORT is required");
            }
            if (coordinator == null || !coordinator.matches("https?://.+")) {
                throw new IllegalArgumentException("--coordinator URL is required (where worker keys and reputations come from)");
            }
            if (tolerate < 0 || tolerate >= 32) {
                throw new IllegalArgumentException("need 0 <= --tolerate < 32");
            }
            token = ApiTokens.require(tokenFlag, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("frame-verifier: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            ResultVerification verification = new ResultVerification(
                    new CoordinatorDirectory(coordinator, token, Duration.ofSeconds(30)), SpotCheck.standard(renderer, tolerate));
            VerifierService service = new VerifierService(kafka, KafkaLogin.fromEnvironment(), verification);
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
