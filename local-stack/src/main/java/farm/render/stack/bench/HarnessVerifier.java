package farm.render.stack.bench;

import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the verifier: reads {@code render.results} and publishes a pass verdict for each on
 * {@code render.verdicts}, keyed by job as the real verifier does, without re-rendering any pixel,
 * so the coordinator's verdict consumer (and the ledger behind it) is what the load lands on.
 */
final class HarnessVerifier implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong verdicts = new AtomicLong();
    private volatile long lastVerdictMillis;
    private volatile boolean holding;
    private final List<TileVerdict> held = new java.util.ArrayList<>();
    private final Thread thread;

    /** @param connection bootstrap servers and the service login ({@code KafkaBroker.clientProperties()}) */
    HarnessVerifier(Map<String, Object> connection) {
        consumer = new KafkaConsumer<>(with(connection, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "bench-verifier",
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-verifier",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500)),
                new StringDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(with(connection, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "bench-verifier-verdicts",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 2)),
                new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "bench-verifier");
        thread.setDaemon(true);
        thread.start();
    }

    static Map<String, Object> with(Map<String, Object> connection, Map<String, Object> settings) {
        Map<String, Object> all = new java.util.HashMap<>(connection);
        all.putAll(settings);
        return all;
    }

    long verdicts() {
        return verdicts.get();
    }

    /** Wall-clock millis of the last verdict published. */
    long lastVerdictMillis() {
        return lastVerdictMillis;
    }

    /** From now on verdicts are kept back until {@link #release()}: the coordinator then drains a full backlog. */
    void hold() {
        holding = true;
    }

    int held() {
        synchronized (held) {
            return held.size();
        }
    }

    /** Publishes every verdict kept back, flushes, and goes back to publishing at once. */
    void release() {
        synchronized (held) {
            held.forEach(this::send);
            held.clear();
            holding = false;
        }
        producer.flush();
    }

    private void send(TileVerdict verdict) {
        producer.send(new ProducerRecord<>(Topics.VERDICTS, verdict.jobId(), WireJson.encode(verdict)), (m, e) -> {
            if (e == null) {
                verdicts.incrementAndGet();
                lastVerdictMillis = System.currentTimeMillis();
            }
        });
    }

    private void run() {
        consumer.subscribe(List.of(Topics.RESULTS));
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TileResult result;
                    try {
                        result = WireJson.decode(record.value(), TileResult.class);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    TileVerdict verdict = TileVerdict.pass(result, List.of());
                    boolean kept = false;
                    synchronized (held) {
                        if (holding) {
                            held.add(verdict);
                            kept = true;
                        }
                    }
                    if (!kept) {
                        send(verdict);
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

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
