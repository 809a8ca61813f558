package farm.render.coordinator.peers;

import farm.render.coordinator.dispatch.DispatchException;
import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.dispatch.TaskFactory;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands a result to the trusted verifier: back on {@code render.results}, its task signed again without a peer as
 * checker, so the verifier judges it like any other and its verdict takes the ordinary path.
 */
@ApplicationScoped
public class RefereeQueue {
    private final KafkaClients clients;
    private final TaskFactory tasks;
    private KafkaProducer<String, byte[]> producer;

    public RefereeQueue(KafkaClients clients, TaskFactory tasks) {
        this.clients = clients;
        this.tasks = tasks;
    }

    /** Sends the result as the trusted verifier takes it: the worker's signature still holds, its task names no checker. */
    public void judge(TileResult peerChecked) {
        TileResult result = new TileResult(tasks.forVerifier(peerChecked.task()), peerChecked.workerId(), peerChecked.renderMillis(),
                peerChecked.tileSha256(), peerChecked.signature());
        try {
            producer().send(new ProducerRecord<>(Topics.RESULTS, result.task().jobId(), WireJson.encode(result))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DispatchException("interrupted handing a result to the verifier", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DispatchException("cannot hand a result to the verifier: " + e.getMessage(), e);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = clients.base("render-coordinator-referee");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
