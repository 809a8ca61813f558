package farm.render.coordinator.peers;

import farm.render.coordinator.Outages;
import farm.render.coordinator.dispatch.ConsumerThread;
import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Supplier;

/**
 * Reads {@code render.results} and {@code render.verdicts} in its own group on its own thread: a result whose task names
 * a peer as checker opens a peer check; the trusted verifier's sample of such a tile opens it to peers (or ends it); its
 * verdict as referee settles a disputed check. Between polls, checks that found no peer in time are handed over. Offsets are committed after each poll is handled; opening
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
    private final PeerReports reports;
    private volatile ConsumerThread loop;
    private long nextSweep;

    public PeerResults(KafkaClients clients, PeerChecks checks, PeerReports reports) {
        this.clients = clients;
        this.checks = checks;
        this.reports = reports;
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        loop = ConsumerThread.of(clients, "render-coordinator-peers", GROUP, 64, List.of(Topics.RESULTS, Topics.VERDICTS), this::handlePoll);
        loop.start();
    }

    private boolean handlePoll(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            handle(record);
        }
        if (System.currentTimeMillis() >= nextSweep) {
            nextSweep = System.currentTimeMillis() + SWEEP_MS;
            attempt("handing unclaimed checks to the verifier", () -> checks.handOverUnclaimed(100));
        }
        return running();
    }

    private boolean running() {
        return loop != null && loop.running();
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
                attempt("taking the verifier's verdict on " + v.taskId() + " to its peer check", () -> {
                    checks.sampled(v);
                    reports.settle(v);
                    return null;
                });
            }
        } catch (IllegalArgumentException e) {
            LOG.debugf("skipping a malformed record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    /** Runs one step; an outage is waited out (skipping would leave a result unchecked), other failures a few times. */
    private void attempt(String what, Supplier<?> step) {
        for (int tries = 1; running(); tries++) {
            try {
                step.get();
                return;
            } catch (RuntimeException e) {
                boolean outage = Outages.isOutage(e);
                if (!outage && tries >= MAX_TRIES) {
                    LOG.errorf(e, "giving up %s after %d tries", what, tries);
                    return;
                }
                if (tries == 1 || tries % 10 == 0) {
                    LOG.warnf("%s failed (try %d%s): %s", what, tries, outage ? ", retrying until the service is back" : "",
                            e.getMessage());
                }
                Outages.backOff(tries);
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
