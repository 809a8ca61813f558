package farm.render.coordinator.dispatch;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One Kafka consumer of a consumer group on its own daemon thread: it polls until stopped, hands each poll to its
 * owner, and commits the poll's offsets only once the owner has handled it, so a crash redelivers at most one poll.
 */
public final class ConsumerThread {
    private static final Logger LOG = Logger.getLogger(ConsumerThread.class);

    /** What the owner does with one poll (possibly empty); false when it stopped before handling all of it. */
    public interface Polls {
        boolean handle(ConsumerRecords<String, byte[]> records);
    }

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Polls polls;
    private volatile boolean running = true;
    private final Thread thread;

    private ConsumerThread(String name, KafkaConsumer<String, byte[]> consumer, List<String> topics, Polls polls) {
        this.name = name;
        this.consumer = consumer;
        this.topics = topics;
        this.polls = polls;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /**
     * A consumer in {@code group} (offsets committed by hand, from the earliest when the group is new), not yet started:
     * the owner keeps the reference first, so its handler can ask {@link #running()} from the first poll on.
     */
    public static ConsumerThread of(KafkaClients clients, String name, String group, int maxPollRecords, List<String> topics,
                                       Polls polls) {
        Properties p = clients.base(name);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        return new ConsumerThread(name, new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer()), topics, polls);
    }

    public void start() {
        thread.start();
    }

    /** False once stop has been asked for: a handler waiting out an outage should give up then. */
    public boolean running() {
        return running;
    }

    private void run() {
        try {
            consumer.subscribe(topics);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                }
                if (!polls.handle(records)) {
                    break; // stopping: the uncommitted poll is redelivered to whoever reads the partitions next
                }
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error(name + " stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Stops polling and waits up to 10 s for the poll in hand. */
    public void stop() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
