package farm.render.coordinator.verdicts;

import farm.render.coordinator.Outages;
import farm.render.coordinator.dispatch.ConsumerThread;
import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    private volatile ConsumerThread loop;

    public VerdictConsumer(KafkaClients clients, VerdictHandler handler) {
        this.clients = clients;
        this.handler = handler;
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        // a poll is one batch: one transaction and about twenty database round trips, however many verdicts it holds
        loop = ConsumerThread.of(clients, "render-coordinator-verdicts", Topics.COORDINATOR_GROUP, 1000,
                List.of(Topics.VERDICTS), this::handlePoll);
        loop.start();
    }

    /** One poll's verdicts together; the poll is committed once this returns true. */
    private boolean handlePoll(ConsumerRecords<String, byte[]> records) {
        List<TileVerdict> verdicts = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            decode(record).ifPresent(verdicts::add);
        }
        return verdicts.isEmpty() || processAll(verdicts);
    }

    private boolean running() {
        return loop != null && loop.running();
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
        for (int attempt = 1; running(); attempt++) {
            try {
                handler.handleAll(verdicts);
                if (attempt > 1) {
                    LOG.infof("%d verdicts handled after %d tries: their dependencies are back", verdicts.size(), attempt);
                }
                return true;
            } catch (RuntimeException e) {
                if (!Outages.isOutage(e)) {
                    LOG.debugf(e, "a batch of %d verdicts failed; handling them one at a time", verdicts.size());
                    for (TileVerdict v : verdicts) {
                        if (!running()) {
                            return false;
                        }
                        process(v);
                    }
                    return true;
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("%d verdicts failed (try %d, retrying until the service is back): %s", verdicts.size(), attempt, e.getMessage());
                }
                Outages.backOff(attempt);
            }
        }
        return false;
    }

    private void process(TileVerdict verdict) {
        for (int attempt = 1; running(); attempt++) {
            try {
                VerdictOutcome outcome = handler.handle(verdict);
                LOG.debugf("verdict %s: %s", verdict.taskId(), outcome);
                if (attempt > 1) {
                    LOG.infof("verdict %s handled after %d tries: its dependencies are back", verdict.taskId(), attempt);
                }
                return;
            } catch (RuntimeException e) {
                boolean outage = Outages.isOutage(e);
                if (!outage && attempt >= MAX_TRIES) {
                    LOG.errorf(e, "giving up on verdict %s after %d tries", verdict.taskId(), attempt);
                    return;
                }
                // An outage of the database, object storage or Kafka is waited out: skipping would lose a frame.
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("verdict %s failed (try %d%s): %s", verdict.taskId(), attempt,
                            outage ? ", retrying until the service is back" : "", e.getMessage());
                }
                Outages.backOff(attempt);
            }
        }
    }

    public synchronized void stop() {
        if (loop != null) {
            loop.stop();
            loop = null;
        }
    }
}
