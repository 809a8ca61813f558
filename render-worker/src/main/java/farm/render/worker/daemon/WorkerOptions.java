package farm.render.worker.daemon;

import farm.render.core.wire.Tier;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * How a worker runs: the Kafka cluster it takes tasks from, its identity (the account it is paid
 * to), and which tiers it polls, highest first.
 */
public record WorkerOptions(String bootstrapServers, String workerId, List<Tier> tiers) {
    public WorkerOptions {
        tiers = List.copyOf(tiers);
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--kafka is required (host:port of the farm's Kafka)");
        }
        if (workerId == null || !workerId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--id must be 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    /** Parses {@code --kafka HOST:PORT [--id ID] [--tiers priority,standard,economy]}. */
    public static WorkerOptions parse(String[] args) {
        String kafka = System.getenv("FARM_KAFKA");
        String id = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        List<Tier> tiers = List.of(Tier.values());
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--kafka" -> kafka = value;
                case "--id" -> id = value;
                case "--tiers" -> {
                    List<Tier> parsed = new ArrayList<>();
                    for (String t : String.valueOf(value).split(",")) {
                        parsed.add(Tier.parse(t.strip()));
                    }
                    tiers = parsed;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        return new WorkerOptions(kafka, id, tiers);
    }
}
