package farm.render.verifier;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.wire.KafkaLogin;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import farm.render.worker.daemon.PresignedHttp;
import farm.render.worker.daemon.SceneCache;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Consumes results (consumer group, so verifier replicas split partitions), spot-checks each but those whose signed task
 * names a peer as checker, and publishes a verdict; offsets are committed only after the verdicts are sent, so a crash repeats
 * work rather than losing it (the coordinator ignores repeated verdicts).
 */
public final class VerifierService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VerifierService.class);

    private final ResultVerification verification;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final PresignedHttp http = new PresignedHttp(1L << 30);
    private final SceneCache scenes = new SceneCache(http, farm.render.worker.daemon.WorkerOptions.DEFAULT_CACHE_BYTES);
    private final AtomicBoolean running = new AtomicBoolean(true);

    private final ResultVerification.TileSource source = new ResultVerification.TileSource() {
        @Override
        public Scene scene(TileTask task) throws IOException, InvalidSceneException {
            return scenes.get(task.sceneDigest(), task.sceneUrl());
        }

        @Override
        public byte[] tile(TileTask task) throws IOException {
            return http.get(task.tileDownloadUrl());
        }
    };

    /** @param login the farm services' Kafka login ({@code FARM_KAFKA_USER}/{@code FARM_KAFKA_PASSWORD}); none on an open broker */
    public VerifierService(String bootstrapServers, Optional<KafkaLogin> login, ResultVerification verification) {
        this.verification = verification;
        this.consumer = new KafkaConsumer<>(KafkaLogin.with(login, Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, Topics.VERIFIER_GROUP,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16)),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(KafkaLogin.with(login, Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new StringSerializer(), new ByteArraySerializer());
    }

    public void run() {
        consumer.subscribe(List.of(Topics.RESULTS));
        LOG.info("verifier consuming {}", Topics.RESULTS);
        try {
            while (running.get()) {
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                Set<TopicPartition> retry = new HashSet<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (retry.contains(tp)) {
                        continue;
                    }
                    try {
                        TileVerdict verdict = verify(record.value());
                        if (verdict != null) {
                            producer.send(new ProducerRecord<>(Topics.VERDICTS, verdict.jobId(), WireJson.encode(verdict)));
                        }
                        done.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    } catch (IOException e) {
                        // keys or scene cannot be fetched now: judge this result later rather than wrongly
                        LOG.warn("cannot judge a result now, will retry: {}", e.getMessage());
                        retry.add(tp);
                        consumer.seek(tp, record.offset());
                    }
                }
                producer.flush();
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
                if (!retry.isEmpty()) {
                    backOff();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void backOff() {
        try {
            Thread.sleep(1000); // a pause before asking an unavailable coordinator again, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    TileVerdict verify(byte[] message) throws IOException {
        TileResult result;
        try {
            result = WireJson.decode(message, TileResult.class);
        } catch (IllegalArgumentException e) {
            LOG.warn("skipping a malformed result: {}", e.getMessage());
            return null;
        }
        if (result.task() == null || result.task().rect() == null || result.task().jobId() == null) {
            LOG.warn("skipping a result without its task");
            return null;
        }
        String taskId = result.task().taskId();
        try {
            ResultVerification.Judgement judgement = verification.judge(result, source);
            if (judgement instanceof ResultVerification.Judgement.Dropped dropped) {
                LOG.warn("dropping a result for task {} in the name of {}: {}; the tile is not requeued and {} is not blamed",
                        taskId, result.workerId(), dropped.reason(), result.workerId());
                return null;
            }
            TileVerdict verdict = ((ResultVerification.Judgement.Judged) judgement).verdict();
            LOG.info("task {} by {}: {} ({} of {} pixels mismatched){}", taskId, result.workerId(),
                    verdict.awaitsPeer() ? "pass, awaiting its peer check" : verdict.passed() ? "pass" : "FAIL", verdict.pixelsMismatched(), verdict.pixelsChecked(),
                    verdict.passed() ? "" : ": " + verdict.reason());
            return verdict;
        } catch (InvalidSceneException e) {
            LOG.error("task {}: scene package invalid: {}", taskId, e.getMessage());
            return null;
        }
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    @Override
    public void close() {
        stop();
    }
}
