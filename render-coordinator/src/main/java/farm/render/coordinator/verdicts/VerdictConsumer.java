package farm.render.coordinator.verdicts;

import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads {@code render.verdicts} on its own thread (group {@code render-coordinator}), hands each
 * poll's verdicts to the handler together, and commits the poll's offsets only after all of them are
 * processed. Malformed records are logged and
 * skipped; a verdict whose processing fails is retried a few times with back-off, then skipped with
 * an error in the log.
 */
@ApplicationScoped
public class VerdictConsumer {
    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);
    private static final int MAX_TRIES = 5;

    private final KafkaClients clients;
    private final VerdictHandler handler;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    public VerdictConsumer(KafkaClients clients, VerdictHandler handler) {
        this.clients = clients;
        this.handler = handler;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Properties p = clients.base("render-coordinator-verdicts");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.COORDINATOR_GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a poll is one batch: one transaction and about twenty database round trips, however many verdicts it holds
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "verdict-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.VERDICTS));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                List<TileVerdict> verdicts = new ArrayList<>(records.count());
                for (ConsumerRecord<String, byte[]> record : records) {
                    decode(record).ifPresent(verdicts::add);
                    done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                }
                if (!verdicts.isEmpty() && !processAll(verdicts)) {
                    break; // stopping: the uncommitted poll is redelivered to whoever reads the partitions next
                }
                // one commit per poll, not per verdict: a crash redelivers at most this batch, which handling absorbs
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("verdict consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static Optional<TileVerdict> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(WireJson.decode(record.value() == null ? new byte[0] : record.value(), TileVerdict.class));
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping malformed verdict at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Handles a poll's verdicts together; an outage is waited out, any other failure sends the poll
     * through one verdict at a time so that one bad verdict does not hold back the rest. False when
     * stopping before they were all handled.
     */
    private boolean processAll(List<TileVerdict> verdicts) {
        for (int attempt = 1; running; attempt++) {
            try {
                handler.handleAll(verdicts);
                if (attempt > 1) {
                    LOG.infof("%d verdicts handled after %d tries: their dependencies are back", verdicts.size(), attempt);
                }
                return true;
            } catch (RuntimeException e) {
                if (!isOutage(e)) {
                    LOG.debugf(e, "a batch of %d verdicts failed; handling them one at a time", verdicts.size());
                    for (TileVerdict v : verdicts) {
                        if (!running) {
                            return false;
                        }
                        process(v);
                    }
                    return true;
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("%d verdicts failed (try %d, retrying until the service is back): %s", verdicts.size(), attempt, e.getMessage());
                }
                sleep(Math.min(10_000L, 200L << Math.min(attempt, 6)));
            }
        }
        return false;
    }

    private void process(TileVerdict verdict) {
        for (int attempt = 1; running; attempt++) {
            try {
                VerdictOutcome outcome = handler.handle(verdict);
                LOG.debugf("verdict %s: %s", verdict.taskId(), outcome);
                if (attempt > 1) {
                    LOG.infof("verdict %s handled after %d tries: its dependencies are back", verdict.taskId(), attempt);
                }
                return;
            } catch (RuntimeException e) {
                boolean outage = isOutage(e);
                if (!outage && attempt >= MAX_TRIES) {
                    LOG.errorf(e, "giving up on verdict %s after %d tries", verdict.taskId(), attempt);
                    return;
                }
                // An outage of the database, object storage or Kafka is waited out: skipping would lose a frame.
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("verdict %s failed (try %d%s): %s", verdict.taskId(), attempt,
                            outage ? ", retrying until the service is back" : "", e.getMessage());
                }
                sleep(Math.min(10_000L, 200L << Math.min(attempt, 6)));
            }
        }
    }

    /** Failures of a service the coordinator depends on, as opposed to a verdict it cannot handle. */
    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.minio.errors.ErrorResponseException) {
                return false; // the store is up and answered no (a missing tile, say): waiting will not change that
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof farm.render.coordinator.storage.StorageException
                    || t instanceof farm.render.coordinator.Transactions.DatabaseException
                    || t instanceof farm.render.coordinator.dispatch.DispatchException
                    || t instanceof java.sql.SQLException
                    || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public synchronized void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
