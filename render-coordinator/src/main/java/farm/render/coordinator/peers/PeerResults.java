package farm.render.coordinator.peers;

import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Reads {@code render.results} and {@code render.verdicts} in its own group on its own thread: a result whose task names
 * a peer as checker opens a peer check; a verdict of the trusted verifier on a disputed tile settles its check. Between
 * polls, checks that found no peer in time go to the verifier. Offsets are committed after each poll is handled; opening
 * and settling are idempotent, so a redelivered poll changes nothing.
 */
@ApplicationScoped
public class PeerResults {
    private static final Logger LOG = Logger.getLogger(PeerResults.class);
    static final String GROUP = "render-coordinator-peers";
    private static final int MAX_TRIES = 5;
    private static final long SWEEP_MS = 5_000;

    private final KafkaClients clients;
    private final PeerChecks checks;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    public PeerResults(KafkaClients clients, PeerChecks checks) {
        this.clients = clients;
        this.checks = checks;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Properties p = clients.base("render-coordinator-peers");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "64");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "peer-results");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long nextSweep = 0;
        try {
            consumer.subscribe(List.of(Topics.RESULTS, Topics.VERDICTS));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
                consumer.commitSync();
                if (System.currentTimeMillis() >= nextSweep) {
                    nextSweep = System.currentTimeMillis() + SWEEP_MS;
                    attempt("handing unclaimed checks to the verifier", () -> checks.handOverUnclaimed(100));
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("peer-check consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        try {
            if (Topics.RESULTS.equals(record.topic())) {
                TileResult r = WireJson.decode(value, TileResult.class);
                if (r.task() != null && r.task().peerChecked()) {
                    attempt("opening the peer check of " + r.task().taskId(), () -> checks.open(r));
                }
            } else {
                TileVerdict v = WireJson.decode(value, TileVerdict.class);
                attempt("settling the peer check of " + v.taskId(), () -> {
                    checks.settle(v);
                    return null;
                });
            }
        } catch (IllegalArgumentException e) {
            LOG.debugf("skipping a malformed record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private void attempt(String what, java.util.function.Supplier<?> step) {
        for (int tries = 1; running; tries++) {
            try {
                step.get();
                return;
            } catch (RuntimeException e) {
                if (tries >= MAX_TRIES) {
                    LOG.errorf(e, "giving up %s after %d tries", what, tries);
                    return;
                }
                LOG.warnf("%s failed (try %d): %s", what, tries, e.getMessage());
                try {
                    Thread.sleep(200L << tries); // back-off before asking a failing service again
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
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
