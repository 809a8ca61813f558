package farm.render.coordinator.dispatch;

import farm.render.core.wire.TileTicket;
import farm.render.core.wire.WireJson;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes tickets on their tier's topic, keyed by task id, and waits for the broker's acknowledgement. */
@ApplicationScoped
public class KafkaTaskPublisher implements TaskSink {
    private final KafkaProducer<String, byte[]> producer;

    public KafkaTaskPublisher(KafkaClients clients) {
        Properties p = clients.base("render-coordinator-tasks");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(List<TileTicket> tickets) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(tickets.size());
        for (TileTicket t : tickets) {
            sent.add(producer.send(new ProducerRecord<>(t.tier().topic(), t.taskId(), WireJson.encode(t))));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DispatchException("interrupted while publishing tasks", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DispatchException("Kafka did not accept the tasks: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
