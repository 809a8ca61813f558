package farm.render.stack.bench;

import farm.render.core.credentials.ApiTokens;
import farm.render.core.identity.Ed25519;
import farm.render.core.image.TileImage;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.ClaimRequest;
import farm.render.core.wire.Tier;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileTicket;
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
 * thread takes tickets in batches and claims each batch for the identity whose turn it is (registered with
 * the coordinator beforehand), in one request per {@link #CLAIM_BATCH} tickets; it records how long each
 * record took from the coordinator's producer to the claim's answer (when a worker could start), PUTs a
 * pre-rendered tile to each granted task's presigned URL, publishes a result signed with that identity's
 * key, and ACCEPTs (refused tickets too, as workers do).
 */
final class SimulatedWorkers implements AutoCloseable {
    /** One simulated worker: the id it is paid under and its registered key pair. */
    record Identity(String workerId, KeyPair keys) {
        String publicKey() {
            return Ed25519.encodePublic(keys.getPublic());
        }
    }

    /** Tickets one claim names at most (the coordinator's limit per request). */
    static final int CLAIM_BATCH = 64;

    private final Map<String, Object> connection;
    private final String coordinatorUrl;
    private final String token;
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
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong claimRequests = new AtomicLong();
    private final AtomicLong claimNanos = new AtomicLong();
    /** Where latencies go between phases: kept, never read. */
    private final LatencyLog unread = new LatencyLog();
    private volatile LatencyLog latencies = unread;

    /**
     * @param connection bootstrap servers and a login allowed to take tickets and publish results
     * @param token      an API token of the account that registered the identities (claims go over it)
     */
    SimulatedWorkers(Map<String, Object> connection, String coordinatorUrl, String token, List<Identity> identities) {
        this.connection = Map.copyOf(connection);
        this.coordinatorUrl = coordinatorUrl;
        this.token = token;
        this.identities = List.copyOf(identities);
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

    /** Where later records' dispatch latencies go: one log per phase, until {@link #stopRecording()}. */
    void recordInto(LatencyLog log) {
        this.latencies = log;
    }

    /** Later records' latencies are not read: the phase that wanted them is over. */
    void stopRecording() {
        this.latencies = unread;
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

    /** Tickets the coordinator refused to this harness (another identity held the attempt, or it was stale). */
    long refused() {
        return refused.get();
    }

    /** Claim requests sent, and their mean round trip in milliseconds. */
    String claimSummary() {
        long n = claimRequests.get();
        return String.format("%d requests, %.1f ms mean round trip", n, n == 0 ? 0 : claimNanos.get() / 1e6 / n);
    }

    private void run(KafkaShareConsumer<String, byte[]> consumer) {
        consumer.subscribe(List.of(Tier.PRIORITY.topic(), Tier.STANDARD.topic(), Tier.ECONOMY.topic()));
        try {
            while (running.get()) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(500)).forEach(batch::add);
                for (int from = 0; from < batch.size(); from += CLAIM_BATCH) {
                    List<ConsumerRecord<String, byte[]>> part = batch.subList(from, Math.min(batch.size(), from + CLAIM_BATCH));
                    received.addAndGet(part.size());
                    List<AcknowledgeType> acks = handle(part);
                    for (int i = 0; i < part.size(); i++) {
                        consumer.acknowledge(part.get(i), acks.get(i));
                    }
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

    /** Claims the records' tickets for one identity in one request, then uploads and publishes each granted task. */
    private List<AcknowledgeType> handle(List<ConsumerRecord<String, byte[]>> records) {
        List<AcknowledgeType> acks = new ArrayList<>(java.util.Collections.nCopies(records.size(), AcknowledgeType.RELEASE));
        List<TileTicket> tickets = new ArrayList<>(records.size());
        List<Integer> index = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                tickets.add(WireJson.decode(records.get(i).value(), TileTicket.class));
                index.add(i);
            } catch (IllegalArgumentException e) {
                acks.set(i, AcknowledgeType.REJECT);
            }
        }
        if (tickets.isEmpty()) {
            return acks;
        }
        Identity who = identities.get((int) (turn.getAndIncrement() % identities.size()));
        List<ClaimAnswer> answers;
        try {
            answers = claim(who.workerId(), tickets);
        } catch (IOException | RuntimeException e) {
            failures.addAndGet(tickets.size());
            return acks;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return acks;
        }
        long now = System.currentTimeMillis(); // the claim answered: the worker can start
        for (int k = 0; k < tickets.size(); k++) {
            ConsumerRecord<String, byte[]> record = records.get(index.get(k));
            latencies.add(now - record.timestamp());
            ClaimAnswer answer = answers.get(k);
            if (!answer.isGranted()) {
                refused.incrementAndGet();
                acks.set(index.get(k), AcknowledgeType.ACCEPT);
                continue;
            }
            acks.set(index.get(k), publish(answer.task(), who));
        }
        return acks;
    }

    private List<ClaimAnswer> claim(String workerId, List<TileTicket> tickets) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(coordinatorUrl + "/api/v1/workers/" + workerId + "/claims"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", ApiTokens.bearer(token))
                .POST(HttpRequest.BodyPublishers.ofByteArray(WireJson.encode(new ClaimRequest(tickets.stream().map(TileTicket::ref).toList(), Long.MAX_VALUE))))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        claimNanos.addAndGet(System.nanoTime() - t0);
        claimRequests.incrementAndGet();
        if (r.statusCode() != 200) {
            throw new IOException("claim answered " + r.statusCode());
        }
        List<ClaimAnswer> answers = WireJson.decode(r.body(), ClaimAnswer.Batch.class).answers();
        if (answers.size() != tickets.size()) {
            throw new IOException("claim answered " + answers.size() + " of " + tickets.size() + " tickets");
        }
        return answers;
    }

    private AcknowledgeType publish(TileTask task, Identity who) {
        try {
            byte[] tile = tiles.computeIfAbsent(((long) task.rect().width() << 32) | task.rect().height(),
                    k -> preRendered(task.rect().width(), task.rect().height()));
            put(task.tileUploadUrl(), tile);
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
