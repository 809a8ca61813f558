package farm.render.verifier;

import farm.render.core.cli.CommandLines;
import farm.render.core.cli.FarmConnection;
import farm.render.core.credentials.ApiTokens;
import farm.render.core.wire.KafkaLogin;
import farm.render.verifier.trust.CoordinatorDirectory;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code frame-verifier --kafka HOST:PORT --coordinator URL [--token T] [--tolerate M]}. Keys and reputations
 * come from the coordinator's REST API, read with an operator's API token ({@code --token}, else
 * {@code $FARM_TOKEN}, else the token files {@link ApiTokens} names); the pixels checked per tile follow the
 * worker's reputation.
 */
@Command(name = "frame-verifier", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "frame-verifier --kafka HOST:PORT --coordinator URL [--token T] [--tolerate M]",
        description = "the farm's verifier: spot-checks every rendered tile by rendering sampled pixels again",
        footer = "%nexit codes: 0 stopped, 2 usage, 3 no renderer on this machine")
public final class VerifierMain implements Callable<Integer> {
    @Mixin
    private FarmConnection farm;
    @Option(names = "--tolerate", paramLabel = "M",
            description = "sampled pixels that may differ before a tile fails, 0 to 31 (default ${DEFAULT-VALUE})")
    private int tolerate = 0;
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.of(new VerifierMain()).execute(args));
    }

    @Override
    public Integer call() {
        String kafka = farm.kafka();
        String coordinator = farm.coordinator();
        if (kafka == null || kafka.isBlank()) {
            throw CommandLines.mistake(spec, "--kafka HOST:PORT is required");
        }
        if (coordinator == null || !coordinator.matches("https?://.+")) {
            throw CommandLines.mistake(spec, "--coordinator URL is required (where worker keys and reputations come from)");
        }
        if (tolerate < 0 || tolerate >= 32) {
            throw CommandLines.mistake(spec, "need 0 <= --tolerate < 32");
        }
        String token;
        try {
            token = ApiTokens.require(farm.token(), System.getenv());
        } catch (IllegalArgumentException e) {
            throw CommandLines.mistake(spec, e.getMessage());
        }
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            ProbeReference.publish(renderer, coordinator, token);
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
            return 3;
        }
        return 0;
    }
}
