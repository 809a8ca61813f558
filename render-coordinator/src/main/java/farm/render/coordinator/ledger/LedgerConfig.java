package farm.render.coordinator.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How often the ledger proves itself ({@code farm.ledger.*}). */
@ConfigMapping(prefix = "farm.ledger")
public interface LedgerConfig {
    /** How often cached balances are compared with their postings (and once at start). */
    @WithDefault("PT30S")
    Duration balanceCheckInterval();

    /** How often a signed checkpoint of the ledger's head is published, when the head moved. */
    @WithDefault("PT5S")
    Duration checkpointInterval();

    /** The compacted Kafka topic the checkpoints go to. */
    @WithDefault("ledger.checkpoints")
    String checkpointTopic();
}
