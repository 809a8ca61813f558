package farm.render.coordinator.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.core.digest.Digests;
import farm.render.core.identity.Ed25519;
import farm.render.core.ledger.LedgerChain;
import farm.render.core.ledger.LedgerEntry;
import farm.render.core.ledger.LedgerSeal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes signed ledger checkpoints ({@link LedgerSeal}, one shard) to a compacted Kafka topic, which
 * a database editor cannot rewrite: every {@code farm.ledger.checkpoint-interval}, when the chain head has
 * moved, one replica (holding a PostgreSQL advisory lock) reads the latest checkpoint from the topic,
 * checks that the database still holds the head it sealed and that every entry since links and is
 * signed with the ledger key, then seals the new head after it. A chain that does not hold is reported
 * to {@link LedgerIntegrity} and is not sealed.
 */
@ApplicationScoped
public class LedgerCheckpoints {
    private static final Logger LOG = Logger.getLogger(LedgerCheckpoints.class);
    /** The advisory lock that makes one replica the sealer at a time ("ledger-seal" in ASCII). */
    static final long SEAL_LOCK = 0x6C65646765727365L;
    private static final String KEY = "ledger/shard-0";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Transactions tx;
    private final EntryChain chain;
    private final CoordinatorKeys keys;
    private final LedgerIntegrity integrity;
    private final KafkaClients clients;
    private final FarmConfig config;
    private final String topic;
    private final Duration interval;
    private final TopicPartition partition;
    private volatile boolean topicReady;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> reader;
    private ScheduledExecutorService scheduler;
    private final Timer roundTimer;
    private volatile long lastSealedEntries;

    public LedgerCheckpoints(Transactions tx, EntryChain chain, CoordinatorKeys keys, LedgerIntegrity integrity, KafkaClients clients,
                             FarmConfig config, LedgerConfig ledgerConfig, MeterRegistry registry) {
        this.tx = tx;
        this.chain = chain;
        this.keys = keys;
        this.integrity = integrity;
        this.clients = clients;
        this.config = config;
        this.topic = ledgerConfig.checkpointTopic();
        this.interval = ledgerConfig.checkpointInterval();
        this.partition = new TopicPartition(topic, 0);
        this.roundTimer = Timer.builder("farm.ledger.checkpoint.round")
                .description("one sealing round: the chain since the last checkpoint checked, the next one signed and published")
                .register(registry);
        Gauge.builder("farm.ledger.checkpoint.entries", this, c -> c.lastSealedEntries)
                .description("entries covered by the last checkpoint this replica published").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        Properties p = clients.base("render-coordinator-ledger-checkpoints");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        producer = new KafkaProducer<>(p);
        Properties c = clients.base("render-coordinator-ledger-checkpoint-reader");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        reader = new KafkaConsumer<>(c);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-checkpoints");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::sealQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        synchronized (this) {
            if (reader != null) {
                reader.close(Duration.ofSeconds(5));
            }
        }
    }

    public String topic() {
        return topic;
    }

    private void sealQuietly() {
        try {
            seal();
        } catch (RuntimeException e) {
            // Kafka or the database away for a moment: the next round seals what this one could not
            LOG.warnf("no ledger checkpoint this round: %s", e.getMessage());
        }
    }

    /**
     * One round: the checkpoint published now, or empty when another replica holds the sealer's lock, the
     * head has not moved since the latest checkpoint, or the chain does not hold.
     */
    public Optional<LedgerSeal> seal() {
        ensureTopic();
        long start = System.nanoTime();
        Optional<LedgerSeal> sealed = sealRound();
        sealed.ifPresent(s -> {
            roundTimer.record(Duration.ofNanos(System.nanoTime() - start));
            lastSealedEntries = s.entries();
        });
        return sealed;
    }

    private Optional<LedgerSeal> sealRound() {
        return tx.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                s.setLong(1, SEAL_LOCK);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (!r.getBoolean(1)) {
                        return Optional.empty();
                    }
                }
            }
            Optional<LedgerSeal> previous = latest();
            long headId;
            String headHash;
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(last_entry, 0), last_hash FROM ledger_head WHERE id = 1");
                 ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("the ledger has no chain head");
                }
                headId = r.getLong(1);
                headHash = r.getString(2);
            }
            String problem = previous.map(p -> sealedHeadProblem(c, p, headId)).orElse(null);
            if (problem != null) {
                integrity.chain(problem);
                return Optional.empty();
            }
            LedgerSeal.ShardHead before = previous.map(p -> p.shards().get(0)).orElse(null);
            if (before != null && before.lastEntryId() == headId && before.head().equals(headHash)) {
                integrity.chain(null);
                return Optional.empty();
            }
            Walk walk = walk(c, before, headId, headHash, previous.isPresent());
            if (walk.problem() != null) {
                integrity.chain(walk.problem());
                return Optional.empty();
            }
            LedgerSeal next = LedgerSeal.sign(previous.map(p -> p.sequence() + 1).orElse(1L),
                    List.of(new LedgerSeal.ShardHead(0, walk.entries(), headId, headHash)),
                    previous.map(LedgerSeal::hash).orElse(LedgerChain.GENESIS), System.currentTimeMillis(), keys.ledgerSigning());
            publish(next);
            integrity.chain(null);
            LOG.debugf("ledger checkpoint #%d: %d entries (%d new), head %s", next.sequence(), walk.entries(),
                    walk.entries() - (before == null ? 0 : before.entries()), headHash);
            return Optional.of(next);
        });
    }

    /** Why the database no longer holds what checkpoint {@code p} sealed; null when it does. */
    private String sealedHeadProblem(Connection c, LedgerSeal p, long headId) {
        String why = p.problem(keys.ledgerSigning().getPublic());
        if (why != null) {
            return "the latest checkpoint on " + topic + " does not hold for this coordinator's ledger key (" + why
                    + "): farm.identity.key-dir holds another key than the one that sealed this ledger";
        }
        LedgerSeal.ShardHead h = p.shards().get(0);
        if (h.entries() == 0) {
            return null;
        }
        if (headId < h.lastEntryId()) {
            return "the ledger's head (entry " + headId + ") is behind checkpoint #" + p.sequence() + " (entry " + h.lastEntryId()
                    + "): entries were removed from the database";
        }
        try (PreparedStatement s = c.prepareStatement("SELECT entry_hash FROM ledger_entries WHERE id = ?")) {
            s.setLong(1, h.lastEntryId());
            try (ResultSet r = s.executeQuery()) {
                String found = r.next() ? r.getString(1) : null;
                if (!h.head().equals(found)) {
                    return "the database no longer holds the head sealed by checkpoint #" + p.sequence() + " (entry "
                            + h.lastEntryId() + ", hash " + h.head() + "; found " + found + ")";
                }
            }
        } catch (SQLException e) {
            throw new farm.render.coordinator.Transactions.DatabaseException(e);
        }
        return null;
    }

    /** What the chain after the sealed head holds: its length from the start, or why it breaks. */
    private record Walk(long entries, String problem) {
    }

    private Walk walk(Connection c, LedgerSeal.ShardHead before, long headId, String headHash, boolean checkSignatures) throws SQLException {
        long[] count = {before == null ? 0 : before.entries()};
        String[] prev = {before == null ? LedgerChain.GENESIS : before.head()};
        long[] lastId = {before == null ? 0 : before.lastEntryId()};
        String[] problem = {null};
        java.security.PublicKey key = keys.ledgerSigning().getPublic();
        List<Signed> pending = new java.util.ArrayList<>(SIGNATURE_BATCH);
        chain.export(c, e -> {
            if (problem[0] != null) {
                return;
            }
            byte[] bytes = LedgerChain.canonicalBytes(e.id(), e.kind(), e.jobId(), e.memo(), e.postings(), e.prevHash());
            if (!prev[0].equals(e.prevHash())) {
                problem[0] = "ledger entry " + e.id() + " does not link to the entry before it";
            } else if (!Digests.sha256Hex(bytes).equals(e.hash())) {
                problem[0] = "ledger entry " + e.id() + " does not hash to its recorded hash: it was changed in the database";
            } else if (checkSignatures) {
                pending.add(new Signed(e.id(), bytes, e.signature()));
                if (pending.size() == SIGNATURE_BATCH) {
                    problem[0] = unsigned(key, pending);
                    pending.clear();
                }
            }
            prev[0] = e.hash();
            lastId[0] = e.id();
            count[0]++;
        }, lastId[0], headId);
        if (problem[0] == null && !pending.isEmpty()) {
            problem[0] = unsigned(key, pending);
        }
        if (problem[0] != null) {
            return new Walk(0, problem[0]);
        }
        if (lastId[0] != headId || !prev[0].equals(headHash)) {
            return new Walk(0, "the ledger's head names entry " + headId + " (" + headHash + ") but the chain ends at entry "
                    + lastId[0] + " (" + prev[0] + ")");
        }
        return new Walk(count[0], null);
    }

    /** Entries whose signatures are checked together, spread over the cores. */
    private static final int SIGNATURE_BATCH = 512;

    private record Signed(long id, byte[] bytes, String signature) {
    }

    /** The first entry of {@code batch} not signed with {@code key}, as a problem; null when all are. */
    private static String unsigned(java.security.PublicKey key, List<Signed> batch) {
        return batch.parallelStream().filter(s -> !Ed25519.verify(key, s.bytes(), s.signature()))
                .mapToLong(Signed::id).min().stream()
                .mapToObj(id -> "ledger entry " + id + " is not signed with the ledger key").findFirst().orElse(null);
    }

    private void publish(LedgerSeal seal) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, KEY, JSON.writeValueAsString(seal)))
                    .get(config.kafka().adminTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a ledger checkpoint", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a ledger checkpoint", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish a ledger checkpoint to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** The latest checkpoint on the topic, read from the broker now; empty before the first. */
    public synchronized Optional<LedgerSeal> latest() {
        ensureTopic();
        List<TopicPartition> tp = List.of(partition);
        if (!reader.assignment().equals(java.util.Set.of(partition))) {
            reader.assign(tp);
        }
        long end = reader.endOffsets(tp).get(partition);
        if (end == 0) {
            return Optional.empty();
        }
        reader.seek(partition, end - 1);
        Instant deadline = Instant.now().plusSeconds(10);
        ConsumerRecord<String, String> last = null;
        while (last == null || last.offset() < end - 1) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("cannot read the latest ledger checkpoint from " + topic + " in time");
            }
            for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                last = r;
            }
        }
        try {
            return Optional.of(JSON.readValue(last.value(), LedgerSeal.class));
        } catch (IOException e) {
            throw new IllegalStateException("the latest record on " + topic + " is not a ledger checkpoint: " + e.getMessage());
        }
    }

    /** Creates the compacted, one-partition topic when missing. */
    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        long timeout = config.kafka().adminTimeout().toMillis();
        try (Admin admin = Admin.create(clients.base("render-coordinator-ledger-admin"))) {
            if (!admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS).contains(topic)) {
                NewTopic t = new NewTopic(topic, 1, config.kafka().replicationFactor())
                        .configs(Map.of("cleanup.policy", "compact"));
                try {
                    admin.createTopics(List.of(t)).all().get(timeout, TimeUnit.MILLISECONDS);
                    LOG.infof("created topic %s (compacted) for ledger checkpoints", topic);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            topicReady = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the ledger checkpoint topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
