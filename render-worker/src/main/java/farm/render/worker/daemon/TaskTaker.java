package farm.render.worker.daemon;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes records from a share consumer one at a time and runs each on a work thread while the
 * polling thread keeps the record's acquisition lock: every third of a lock, counted from the
 * last renewal sent, it acknowledges the record with RENEW. In Kafka 4.4 a renewed record leaves the consumer's in-flight set until the renewal
 * round-trips, and a later poll hands it to the application again (same offset, same delivery
 * count); that redelivery is recognised here as the record still being worked on, never started
 * twice, and the final ACCEPT/RELEASE/REJECT goes to the redelivered instance.
 */
public final class TaskTaker {
    private static final Logger LOG = LoggerFactory.getLogger(TaskTaker.class);

    /** The work done for one record, and how it ends. */
    public interface Work {
        AcknowledgeType handle(ConsumerRecord<String, byte[]> record);
    }

    private final ShareConsumer<String, byte[]> consumer;
    private final Work work;
    private final Duration defaultLock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong renewals = new AtomicLong();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tile-work");
        t.setDaemon(true);
        return t;
    });

    /** @param defaultLock the lock assumed until the broker states one (the share group's lock duration) */
    public TaskTaker(ShareConsumer<String, byte[]> consumer, Work work, Duration defaultLock) {
        this.consumer = consumer;
        this.work = work;
        this.defaultLock = defaultLock;
    }

    /** Runs until {@link #stop()}; a record being worked on when asked to stop is finished first. */
    public void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (running.get()) {
                        take(record);
                    } else {
                        consumer.acknowledge(record, AcknowledgeType.RELEASE); // stopping: another worker takes it now
                    }
                }
                consumer.commitSync();
            }
        } finally {
            worker.shutdownNow();
        }
    }

    public void stop() {
        running.set(false);
    }

    public long renewals() {
        return renewals.get();
    }

    private long renewEveryMs() {
        long lock = consumer.acquisitionLockTimeoutMs().map(Integer::longValue).orElse(defaultLock.toMillis());
        return Math.max(100, lock / 3);
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        Future<AcknowledgeType> outcome = worker.submit(() -> work.handle(record));
        ConsumerRecord<String, byte[]> held = record;
        long lockedSince = System.nanoTime();
        while (true) {
            try {
                long waitMs = renewEveryMs() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lockedSince);
                AcknowledgeType type = outcome.get(Math.max(0, waitMs), TimeUnit.MILLISECONDS);
                consumer.acknowledge(held, type);
                return;
            } catch (TimeoutException stillWorking) {
                consumer.acknowledge(held, AcknowledgeType.RENEW);
                lockedSince = System.nanoTime();
                renewals.incrementAndGet();
                LOG.debug("renewing the lock on {}-{}@{}", record.topic(), record.partition(), record.offset());
                held = awaitRedelivery(record);
                if (held == null) {
                    LOG.warn("lost the lock on {}-{}@{} while working on it; the broker hands it to another worker",
                            record.topic(), record.partition(), record.offset());
                    awaitQuietly(outcome);
                    return;
                }
            } catch (ExecutionException e) {
                LOG.warn("work on {}-{}@{} failed: {}", record.topic(), record.partition(), record.offset(), e.getCause().toString());
                consumer.acknowledge(held, AcknowledgeType.RELEASE);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                consumer.acknowledge(held, AcknowledgeType.RELEASE);
                return;
            }
        }
    }

    /**
     * Polls until the renewed record comes back into the consumer's hands; null if it does not
     * within two locks. Another record taken meanwhile is released at once: this worker is busy.
     */
    private ConsumerRecord<String, byte[]> awaitRedelivery(ConsumerRecord<String, byte[]> renewed) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * renewEveryMs());
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.topic().equals(renewed.topic()) && r.partition() == renewed.partition() && r.offset() == renewed.offset()) {
                    return r;
                }
                consumer.acknowledge(r, AcknowledgeType.RELEASE);
            }
        }
        return null;
    }

    private static void awaitQuietly(Future<?> outcome) {
        try {
            outcome.get();
        } catch (ExecutionException e) {
            // already lost: nothing to acknowledge
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
