package farm.render.coordinator.api;

import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.core.wire.RendererVersion;
import farm.render.core.wire.Tier;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a worker needs to join, from the coordinator's URL alone: where Kafka is and what to render with. */
@Path("/api/v1/farm")
@Produces(MediaType.APPLICATION_JSON)
public class FarmInfoResource {
    private final CoordinatorKeys keys;
    private final String kafkaForWorkers;

    public FarmInfoResource(CoordinatorKeys keys,
                            @ConfigProperty(name = "kafka.bootstrap.servers") String kafka,
                            @ConfigProperty(name = "farm.workers.kafka-bootstrap") Optional<String> workerListener) {
        this.keys = keys;
        this.kafkaForWorkers = workerListener.filter(s -> !s.isBlank()).orElse(kafka);
    }

    public record FarmInfo(String rendererVersion, String kafkaBootstrap, String coordinatorPublicKey, List<String> tiers) {
    }

    @GET
    @Operation(summary = "How workers join this farm: Kafka bootstrap servers, renderer version, tiers")
    public FarmInfo info() {
        return new FarmInfo(RendererVersion.CURRENT, kafkaForWorkers, keys.publicKey(),
                Arrays.stream(Tier.values()).map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }
}
