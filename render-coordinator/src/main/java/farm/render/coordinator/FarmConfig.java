package farm.render.coordinator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The coordinator's own settings ({@code farm.*}); every key may be overridden by env or system property. */
@ConfigMapping(prefix = "farm")
public interface FarmConfig {

    S3 s3();

    Dispatch dispatch();

    Intake intake();

    Uploads uploads();

    Artist artist();

    Kafka kafka();

    Workers workers();

    Classes classes();

    interface Classes {
        /** Probe tiles in one run: what a worker of an unproven class renders, and the verifier renders as the reference. */
        @WithDefault("64")
        int probes();

        /** Different owners whose complete runs must match the verifier's bit for bit before a class is proven. */
        @WithDefault("2")
        int provingOwners();

        /** How long an issued probe run may stay unanswered before the worker's next claim issues it again. */
        @WithDefault("PT10M")
        Duration probeReissue();
    }

    Peers peers();

    interface Peers {
        /**
         * Known answers a peer check carries from each source: pixels of the trusted verifier's sample of the same tile, and
         * pixels of other tiles of the frame that two workers of the class agreed on.
         */
        @WithDefault("8")
        int knownAnswers();

        /** The checking peer's fee for one tile, in percent of the tile's price: inside the quote's margin. */
        @WithDefault("3")
        int feePercent();

        /** How long an issued peer check may stay unanswered before it goes to another peer. */
        @WithDefault("PT2M")
        Duration reissue();

        /** How long a check may wait for an equivalent peer before the verifier's sample decides it alone. */
        @WithDefault("PT1M")
        Duration waitForPeer();
    }

    Webhooks webhooks();

    interface Webhooks {
        /** Whether a webhook may point at loopback, private, link-local or otherwise internal addresses. */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        /** Deliveries tried per job before giving up. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait before the first retry; each retry waits twice as long as the one before. */
        @WithDefault("PT5S")
        Duration firstRetry();

        /** Time allowed for the receiver to answer one delivery. */
        @WithDefault("PT10S")
        Duration timeout();

        /** How often finished jobs are swept for webhooks still to send. */
        @WithDefault("PT2S")
        Duration poll();
    }

    interface Workers {
        /** Micro-tokens moved from the owner's account into a new worker's stake at registration; 0 for none. */
        @WithDefault("10000000")
        long stake();

        /** Half-life of a verdict's weight in a worker's reputation. */
        @WithDefault("P7D")
        Duration reputationHalfLife();
    }

    interface S3 {
        /** Endpoint the coordinator and workers reach; presigned URLs are signed for this host. */
        String endpoint();

        String accessKey();

        String secretKey();

        @WithDefault("render-farm")
        String bucket();

        @WithDefault("us-east-1")
        String region();

        /**
         * The lease of a claimed tile: lifetime of the presigned scene GET and tile PUT handed to the worker that
         * claimed it (a worker whose render outlasts it claims the attempt again for fresh URLs).
         */
        @WithDefault("PT15M")
        Duration presignLifetime();

        /** Lifetime of the presigned GET of a claimed tile that the verifier reads (it may judge a result later than the lease). */
        @WithDefault("PT2H")
        Duration verifyUrlLifetime();
    }

    interface Dispatch {
        /** Share-group record lock: how long a worker holds a tile before it returns to the queue. */
        @WithDefault("30000")
        int lockDurationMs();

        /** Share-group delivery limit before a task is archived as poison. */
        @WithDefault("5")
        int deliveryLimit();

        /** Attempts per tile (failed verdicts included) before the job fails. */
        @WithDefault("5")
        int maxAttempts();

        /** Upper bound on frames × tiles in one job. */
        @WithDefault("200000")
        int maxTilesPerJob();

        /**
         * Most tiles of one job out on the bus (published, not yet verified) at once; 0 for no limit. Bounds what a
         * paused job still renders.
         */
        @WithDefault("64")
        int windowPerJob();

        /** Most tiles out on one tier's topic at once, filled highest priority first; 0 for no limit. */
        @WithDefault("1024")
        int windowPerTier();

        /** How often the dispatcher looks for work besides being woken by submissions and verdicts. */
        @WithDefault("PT1S")
        Duration windowPoll();
    }

    interface Intake {
        @WithDefault("268435456")
        long maxUploadBytes();

        /** The most heap one import child gets, in MiB; a scene that needs more is refused for the memory it needs. */
        @WithDefault("4096")
        int importHeapMb();

        /** The fixed part of an import child's heap, in MiB; the child gets this plus import-heap-per-source-byte per uploaded byte. */
        @WithDefault("256")
        int importHeapBaseMb();

        /** Heap bytes an import child gets per byte of the uploaded file (a glTF mesh needs about 30). */
        @WithDefault("32")
        int importHeapPerSourceByte();

        @WithDefault("PT120S")
        Duration importTimeLimit();

        /** The largest compiled scene package, in bytes; a scene whose package is larger is refused with 413. */
        @WithDefault("1073741824")
        long importMaxOutputBytes();

        /** The most triangles a scene may have after import; more is refused with 413. */
        @WithDefault("20000000")
        int maxTriangles();

        /** Imports running at once on this replica; more wait their turn, so a flood of uploads cannot exhaust memory. */
        @WithDefault("2")
        int maxConcurrentImports();

        /** Class path for the child import JVM; defaults to the one this coordinator runs with. */
        Optional<String> importClasspath();

        /** Raw scene uploads being received or imported at once on this replica; more are answered 503. */
        @WithDefault("16")
        int maxConcurrentUploads();

        /** Raw scene uploads one account may have open at once on this replica; more are answered 429. */
        @WithDefault("2")
        int maxConcurrentUploadsPerAccount();

        /** Longest pause allowed in an upload's body; a body that stops for longer is cut off with 408. */
        @WithDefault("PT30S")
        Duration uploadIdleTimeout();

        /** Slowest average rate an upload's body may arrive at, over each idle-timeout window; slower is cut off with 408. */
        @WithDefault("16384")
        long uploadMinBytesPerSecond();

        /** Folder that holds uploads while they are received and imported; the system temporary folder when unset. */
        Optional<String> spoolDir();

        /** Largest body any endpoint but the raw scene upload reads (JSON requests); larger gets 413 before it is read. */
        @WithDefault("262144")
        long maxRequestBodyBytes();
    }

    interface Uploads {
        /** Size of each part of a browser's multipart upload (S3 asks at least 5 MiB for all parts but the last). */
        @WithDefault("8388608")
        long partSizeBytes();
    }

    interface Artist {
        /** Micro-tokens minted to a new artist account on first use; the demo, dev and test profiles set it, production has none. */
        @WithDefault("0")
        long initialGrant();
    }

    interface Kafka {
        @WithDefault("3")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** Time allowed for admin calls (topic and group setup, health). */
        @WithDefault("PT30S")
        Duration adminTimeout();

        /** The farm services' SASL/SCRAM login; unset for a broker without authentication. */
        Sasl sasl();
    }

    interface Sasl {
        Optional<String> username();

        Optional<String> password();
    }
}
