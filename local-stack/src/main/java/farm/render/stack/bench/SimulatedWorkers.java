package farm.render.stack.bench;

import farm.render.core.identity.Ed25519;
import farm.render.core.image.TileImage;
import farm.render.core.wire.Tier;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Light clients in the {@code render-workers} share group standing for many worker identities: each
 * thread takes tasks in batches, records how long each record took from the coordinator's producer
 * to here, PUTs a pre-rendered tile to the task's presigned URL, publishes a result signed with the
 * key of the identity whose turn it is (registered with the coordinator beforehand), and ACCEPTs.
 */
final class SimulatedWorkers implements AutoCloseable {
    /** One simulated worker: the id it is paid under and its registered key pair. */
    record Identity(String workerId, KeyPair keys) {
        String publicKey() {
            return Ed25519.encodePublic(keys.getPublic());
        }
    }

    private final Map<String, Object> connection;
    private final List<Identity> identities;
    private final List<Thread> threads = new ArrayList<>();
    private final List<KafkaShareConsumer<String, byte[]>> consumers = new ArrayList<>();
    private final KafkaProducer<String, byte[]> results;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Long, byte[]> tiles = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong turn = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile LatencyLog latencies;

    /** @param connection bootstrap servers and a login allowed to take tasks and publish results */
    SimulatedWorkers(Map<String, Object> connection, List<Identity> identities, LatencyLog latencies) {
        this.connection = Map.copyOf(connection);
        this.identities = List.copyOf(identities);
        this.latencies = latencies;
        this.results = new KafkaProducer<>(HarnessVerifier.with(connection, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "bench-workers-results",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2)),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Starts {@code count} consumer threads; each subscribes to every tier's topic. */
    void start(int count) {
        for (int i = 0; i < count; i++) {
            KafkaShareConsumer<String, byte[]> consumer = new KafkaShareConsumer<>(HarnessVerifier.with(connection, Map.of(
                    "group.id", Topics.WORKER_SHARE_GROUP,
                    "client.id", "bench-worker-" + i,
                    "share.acknowledgement.mode", "explicit",
                    "max.poll.records", 100)),
                    new StringDeserializer(), new ByteArrayDeserializer());
            consumers.add(consumer);
            Thread t = new Thread(() -> run(consumer), "bench-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Where later records' dispatch latencies go: one log per phase. */
    void recordInto(LatencyLog log) {
        this.latencies = log;
    }

    long received() {
        return received.get();
    }

    long published() {
        return published.get();
    }

    long failures() {
        return failures.get();
    }

    private void run(KafkaShareConsumer<String, byte[]> consumer) {
        consumer.subscribe(List.of(Tier.PRIORITY.topic(), Tier.STANDARD.topic(), Tier.ECONOMY.topic()));
        try {
            while (running.get()) {
                var batch = consumer.poll(Duration.ofMillis(500));
                long now = System.currentTimeMillis(); // received: when the poll hands the batch over
                for (ConsumerRecord<String, byte[]> record : batch) {
                    latencies.add(now - record.timestamp());
                }
                for (ConsumerRecord<String, byte[]> record : batch) {
                    received.incrementAndGet();
                    consumer.acknowledge(record, handle(record));
                }
                consumer.commitAsync();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private AcknowledgeType handle(ConsumerRecord<String, byte[]> record) {
        try {
            TileTask task = WireJson.decode(record.value(), TileTask.class);
            byte[] tile = tiles.computeIfAbsent(((long) task.rect().width() << 32) | task.rect().height(),
                    k -> preRendered(task.rect().width(), task.rect().height()));
            put(task.tileUploadUrl(), tile);
            Identity who = identities.get((int) (turn.getAndIncrement() % identities.size()));
            TileResult result = TileResult.signed(task, who.workerId(), 1, sha256Hex(tile), who.keys().getPrivate());
            results.send(new ProducerRecord<>(Topics.RESULTS, task.jobId(), WireJson.encode(result)), (m, e) -> {
                if (e == null) {
                    published.incrementAndGet();
                } else {
                    failures.incrementAndGet();
                }
            });
            return AcknowledgeType.ACCEPT;
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            return AcknowledgeType.RELEASE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AcknowledgeType.RELEASE;
        }
    }

    private void put(String url, byte[] body) throws IOException, InterruptedException {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("PUT answered " + r.statusCode());
        }
    }

    /** A mid-grey tile in the worker's tile format: the harness plays the verifier, so its pixels are not checked. */
    static byte[] preRendered(int width, int height) {
        float[] rgb = new float[width * height * 3];
        java.util.Arrays.fill(rgb, 0.18f);
        return new TileImage(width, height, rgb).encode();
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumers.forEach(KafkaShareConsumer::wakeup);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        results.close(Duration.ofSeconds(5));
    }
}
