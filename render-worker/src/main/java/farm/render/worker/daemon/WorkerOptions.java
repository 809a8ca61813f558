package farm.render.worker.daemon;

import farm.render.core.credentials.ApiTokens;
import farm.render.core.wire.Tier;
import farm.render.worker.render.DeviceChoice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * How a worker runs: the Kafka cluster it takes tasks from, the coordinator it registers its key
 * with, its identity (the account it is paid to, and the key file that proves it), which tiers it
 * would poll, highest first, the bytes of scene packages it keeps, the device memory it may use
 * (else a share of the device's largest heap), whether to skip the start benchmark, how many tiles it
 * works on at once ({@code --workers N}: N task loops under the one identity, sharing the scene cache and
 * the device memory budget), and, in tests only, a cheat.
 */
public record WorkerOptions(String bootstrapServers, String workerId, List<Tier> tiers, Optional<String> coordinatorUrl,
                            Path keyFile, Optional<Cheat> cheat, DeviceChoice device, Optional<String> apiToken,
                            long cacheBytes, OptionalLong vramBudget, boolean skipBench, int workers) {
    /** Scene package bytes kept when {@code --cache-bytes} is not given. */
    public static final long DEFAULT_CACHE_BYTES = 2L << 30;
    /** The most task loops one process runs. */
    public static final int MAX_WORKERS = 16;

    public WorkerOptions {
        tiers = List.copyOf(tiers);
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("--workers must be between 1 and " + MAX_WORKERS);
        }
        if (cacheBytes <= 0) {
            throw new IllegalArgumentException("--cache-bytes must be positive");
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--coordinator URL (or --kafka HOST:PORT) is required");
        }
        if (workerId == null || !workerId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--id must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (coordinatorUrl.isPresent() && !coordinatorUrl.get().matches("https?://.+")) {
            throw new IllegalArgumentException("--coordinator must be an http(s) URL, e.g. http://127.0.0.1:8080");
        }
        if (coordinatorUrl.isPresent() && apiToken.isEmpty()) {
            throw new IllegalArgumentException("--coordinator needs the GPU owner's API token: --token T, $" + ApiTokens.ENV
                    + " or " + ApiTokens.userFile(System.getenv()));
        }
    }

    public WorkerOptions(String bootstrapServers, String workerId, List<Tier> tiers) {
        this(bootstrapServers, workerId, tiers, Optional.empty(), defaultKeyFile(), Optional.empty(), DeviceChoice.any(), Optional.empty(),
                DEFAULT_CACHE_BYTES, OptionalLong.empty(), false, 1);
    }

    public static Path defaultKeyFile() {
        return Path.of(System.getProperty("user.home"), ".render-farm", "worker.key");
    }

    /**
     * Parses {@code --coordinator URL [--token T] [--kafka HOST:PORT] [--id ID] [--key-file PATH] [--device N] [--allow-cpu]
     * [--tiers priority,standard,economy] [--cache-bytes SIZE] [--vram-budget SIZE] [--skip-bench] [--workers N]} (and {@code --cheat MODE} in tests).
     */
    public static WorkerOptions parse(String[] args) {
        String kafka = System.getenv("FARM_KAFKA");
        String coordinator = System.getenv("FARM_COORDINATOR");
        String id = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        Path keyFile = defaultKeyFile();
        Optional<Cheat> cheat = Optional.empty();
        List<Tier> tiers = List.of(Tier.values());
        OptionalInt device = OptionalInt.empty();
        boolean allowCpu = false;
        long cacheBytes = DEFAULT_CACHE_BYTES;
        OptionalLong vramBudget = OptionalLong.empty();
        boolean skipBench = false;
        int workers = 1;
        String tokenFlag = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--allow-cpu")) {
                allowCpu = true;
                continue;
            }
            if (args[i].equals("--skip-bench")) {
                skipBench = true;
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--kafka" -> kafka = value;
                case "--coordinator" -> coordinator = value;
                case "--id" -> id = value;
                case "--token" -> tokenFlag = value;
                case "--key-file" -> keyFile = Path.of(value);
                case "--device" -> {
                    try {
                        device = OptionalInt.of(Integer.parseInt(value));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--device takes a device number (see the list the worker prints)");
                    }
                }
                case "--workers" -> {
                    try {
                        workers = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--workers takes a number of tiles to work on at once, 1 to " + MAX_WORKERS);
                    }
                }
                case "--cache-bytes" -> cacheBytes = ByteSize.parse("--cache-bytes", value);
                case "--vram-budget" -> vramBudget = OptionalLong.of(ByteSize.parse("--vram-budget", value));
                case "--cheat" -> cheat = Optional.of(Cheat.parse(value));
                case "--tiers" -> {
                    List<Tier> parsed = new ArrayList<>();
                    for (String t : value.split(",")) {
                        parsed.add(Tier.parse(t.strip()));
                    }
                    tiers = parsed;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        Optional<String> token = ApiTokens.resolve(tokenFlag, System.getenv());
        if ((kafka == null || kafka.isBlank()) && coordinator != null && coordinator.matches("https?://.+") && token.isPresent()) {
            try {
                kafka = new CoordinatorLink(coordinator, token.get()).kafkaBootstrap(); // the coordinator says where its workers' Kafka is
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot ask " + coordinator + " where Kafka is (" + e.getMessage()
                        + "); give --kafka HOST:PORT");
            }
        }
        return new WorkerOptions(kafka, id, tiers, Optional.ofNullable(coordinator).filter(s -> !s.isBlank()), keyFile, cheat,
                new DeviceChoice(device, allowCpu), token,
                cacheBytes, vramBudget, skipBench, workers);
    }
}
