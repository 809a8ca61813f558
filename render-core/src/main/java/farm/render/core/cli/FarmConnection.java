package farm.render.core.cli;

import picocli.CommandLine.Option;

/**
 * How a farm service (a worker, a verifier) finds the farm on its command line: {@code --coordinator URL},
 * {@code --kafka HOST:PORT} and {@code --token T}, the first two defaulting to {@code $FARM_COORDINATOR} and
 * {@code $FARM_KAFKA}; a {@code @Mixin} of both commands. The token's own fallbacks are {@link farm.render.core.credentials.ApiTokens}'.
 */
public final class FarmConnection {
    @Option(names = "--coordinator", paramLabel = "URL", defaultValue = "${env:FARM_COORDINATOR}",
            description = "the coordinator: keys, reputations and claims (else $FARM_COORDINATOR)")
    private String coordinator;
    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "${env:FARM_KAFKA}",
            description = "the Kafka cluster of tasks and results (else $FARM_KAFKA)")
    private String kafka;
    @Option(names = "--token", paramLabel = "T",
            description = "API token (else $FARM_TOKEN, ~/.config/render-farm/token, .farm/operator.token)")
    private String token;

    /** The coordinator's URL as given, or null. */
    public String coordinator() {
        return coordinator;
    }

    /** Kafka's bootstrap servers as given, or null. */
    public String kafka() {
        return kafka;
    }

    /** The {@code --token} flag, or null: {@link farm.render.core.credentials.ApiTokens#resolve} takes it from there. */
    public String token() {
        return token;
    }
}
