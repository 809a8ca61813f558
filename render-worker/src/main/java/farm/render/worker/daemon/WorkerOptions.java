package farm.render.worker.daemon;

import farm.render.core.cli.CommandLines;
import farm.render.core.cli.FarmConnection;
import farm.render.core.credentials.ApiTokens;
import farm.render.core.wire.Tier;
import farm.render.worker.render.DeviceChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
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
     *
     * @throws IllegalArgumentException saying which flag is wrong
     */
    public static WorkerOptions parse(String[] args) {
        Flags flags = new Flags();
        try {
            CommandLines.of(flags).parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return flags.options();
    }

    /** The worker's command-line flags; without {@code --kafka} or {@code $FARM_KAFKA}, the coordinator says where Kafka is. */
    public static final class Flags {
        @Mixin
        private FarmConnection farm = new FarmConnection();
        @Option(names = "--id", paramLabel = "ID",
                description = "the worker's name, the account it is paid to (default: worker- and 8 random hex digits)")
        private String id = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        @Option(names = "--key-file", paramLabel = "PATH",
                description = "its key pair, made on the first run (default: ~/.render-farm/worker.key)")
        private Path keyFile = defaultKeyFile();
        @Option(names = "--device", paramLabel = "N", converter = DeviceNumber.class,
                description = "the Vulkan device to render on, from the list the worker prints (default: the first GPU)")
        private Integer device;
        @Option(names = "--allow-cpu", description = "render on a CPU device (lavapipe) when there is no GPU")
        private boolean allowCpu;
        @Option(names = "--tiers", paramLabel = "T", split = ",", converter = TierName.class,
                description = "the tiers to poll, highest first (default: priority,standard,economy)")
        private List<Tier> tiers;
        @Option(names = "--cache-bytes", paramLabel = "SIZE", converter = Size.class,
                description = "scene package bytes kept on disk, e.g. 8G (default: 2G)")
        private long cacheBytes = DEFAULT_CACHE_BYTES;
        @Option(names = "--vram-budget", paramLabel = "SIZE", converter = Size.class,
                description = "device memory the scenes may use (default: a share of the device's largest heap)")
        private Long vramBudget;
        @Option(names = "--skip-bench", description = "do not measure the device score at start")
        private boolean skipBench;
        @Option(names = "--workers", paramLabel = "N",
                description = "tiles to work on at once under the one identity, 1 to " + MAX_WORKERS + " (default: 1)")
        private int workers = 1;
        @Option(names = "--cheat", paramLabel = "MODE", hidden = true, converter = CheatMode.class)
        private Cheat cheat;

        /**
         * The options these flags give, asking the coordinator where its workers' Kafka is when no {@code --kafka} is given.
         *
         * @throws IllegalArgumentException saying which flag is wrong or missing
         */
        public WorkerOptions options() {
            String coordinator = farm.coordinator();
            Optional<String> token = ApiTokens.resolve(farm.token(), System.getenv());
            String bootstrap = farm.kafka();
            boolean askCoordinator = coordinator != null && coordinator.matches("https?://.+") && token.isPresent();
            if ((bootstrap == null || bootstrap.isBlank()) && askCoordinator) {
                try {
                    // the coordinator says where its workers' Kafka is
                    bootstrap = new CoordinatorLink(coordinator, token.get()).kafkaBootstrap();
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot ask " + coordinator + " where Kafka is (" + e.getMessage()
                            + "); give --kafka HOST:PORT");
                }
            }
            return new WorkerOptions(bootstrap, id, tiers == null ? List.of(Tier.values()) : tiers,
                    Optional.ofNullable(coordinator).filter(s -> !s.isBlank()), keyFile, Optional.ofNullable(cheat),
                    new DeviceChoice(device == null ? OptionalInt.empty() : OptionalInt.of(device), allowCpu), token,
                    cacheBytes, vramBudget == null ? OptionalLong.empty() : OptionalLong.of(vramBudget), skipBench, workers);
        }
    }

    /** {@code --device N}. */
    static final class DeviceNumber implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a device number (see the list the worker prints)");
            }
        }
    }

    /** One of {@code --tiers}' names, as {@link Tier#parse} reads it. */
    static final class TierName implements ITypeConverter<Tier> {
        @Override
        public Tier convert(String value) {
            try {
                return Tier.parse(value.strip());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A size such as {@code 8G}, as {@link ByteSize} reads it. */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteSize.parse("the size", value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a positive size such as 512M or 2G");
            }
        }
    }

    /** {@code --cheat MODE}, refused outside tests by {@link Cheat#parse}. */
    static final class CheatMode implements ITypeConverter<Cheat> {
        @Override
        public Cheat convert(String value) {
            try {
                return Cheat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
