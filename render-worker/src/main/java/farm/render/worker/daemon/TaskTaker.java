package farm.render.worker.daemon;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
 * polling thread keeps the record's acquisition lock: every third of a lock it acknowledges the
 * record with RENEW and commits that at once ({@code commitSync}, an acknowledgement request
 * that acquires nothing), so a busy worker never takes, and so never burns a delivery of, a task
 * it cannot start. In Kafka 4.4 a renewed record comes back from the next poll (same offset, same
 * delivery count); that is recognised as the record still being worked on, never started twice,
 * and the final ACCEPT/RELEASE/REJECT goes to it. A renewal the broker refuses means the lock had
 * already lapsed and the task is another worker's: the result is still published (the coordinator
 * takes the first verified result per tile) but nothing is acknowledged.
 */
public final class TaskTaker {
    private static final Logger LOG = LoggerFactory.getLogger(TaskTaker.class);
    /** How often the polling thread looks at a stop while the work runs. */
    private static final long STOP_CHECK_MS = 500;

    /** The work done for one record, and how it ends. */
    public interface Work {
        AcknowledgeType handle(ConsumerRecord<String, byte[]> record);

        /** Runs on the polling thread after a poll that brought no record: directed work that needs no ticket. */
        default void idle() {
        }
    }

    private final ShareConsumer<String, byte[]> consumer;
    private final Work work;
    private final Duration defaultLock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile long stopDeadlineNanos = Long.MAX_VALUE;
    private final AtomicLong renewals = new AtomicLong();
    private final AtomicLong lostLocks = new AtomicLong();
    private final AtomicLong strays = new AtomicLong();
    private final ExecutorService worker;

    /** @param defaultLock the lock assumed until the broker states one (the share group's lock duration) */
    public TaskTaker(ShareConsumer<String, byte[]> consumer, Work work, Duration defaultLock) {
        this(consumer, work, defaultLock, "tile-work");
    }

    /** @param threadName the name of the thread the work runs on (it shows in the log) */
    public TaskTaker(ShareConsumer<String, byte[]> consumer, Work work, Duration defaultLock, String threadName) {
        this.consumer = consumer;
        this.work = work;
        this.defaultLock = defaultLock;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs until {@link #stop()}; a record being worked on when asked to stop is finished (its lock
     * renewed meanwhile) and acknowledged first, within the grace given to {@link #stop(Duration)},
     * and a record polled after the stop is released at once.
     */
    public void run() {
        try {
            while (running.get()) {
                boolean none = true;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    none = false;
                    if (running.get()) {
                        take(record);
                    } else {
                        consumer.acknowledge(record, AcknowledgeType.RELEASE); // stopping: another worker takes it now
                    }
                }
                consumer.commitSync();
                if (none && running.get()) {
                    work.idle();
                }
            }
        } finally {
            worker.shutdownNow();
        }
    }

    public void stop() {
        running.set(false);
    }

    /**
     * Stops taking records; a record being worked on gets {@code grace} to finish, after which it is
     * released (another worker takes it at once, without waiting for its lock to lapse) and left.
     */
    public void stop(Duration grace) {
        if (running.get()) {
            stopDeadlineNanos = System.nanoTime() + grace.toNanos(); // the first stop sets the grace; later ones keep it
        }
        running.set(false);
    }

    /** Lock renewals the broker accepted. */
    public long renewals() {
        return renewals.get();
    }

    /** Records whose lock lapsed while they were worked on (the broker refused the renewal). */
    public long lostLocks() {
        return lostLocks.get();
    }

    /** Other records that reached this worker while it was busy (released at once); none expected. */
    public long strays() {
        return strays.get();
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
                // short waits, so a stop whose grace ran out is noticed soon
                AcknowledgeType type = outcome.get(Math.max(0, Math.min(STOP_CHECK_MS, waitMs)), TimeUnit.MILLISECONDS);
                consumer.acknowledge(held, type);
                return;
            } catch (TimeoutException stillWorking) {
                if (!running.get() && System.nanoTime() - stopDeadlineNanos > 0) {
                    LOG.warn("releasing {}-{}@{}: its work did not finish within the stop grace; another worker takes it now",
                            record.topic(), record.partition(), record.offset());
                    consumer.acknowledge(held, AcknowledgeType.RELEASE);
                    outcome.cancel(true);
                    return;
                }
                if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lockedSince) < renewEveryMs()) {
                    continue;
                }
                lockedSince = System.nanoTime();
                Optional<ConsumerRecord<String, byte[]>> renewed = renew(held);
                if (renewed.isEmpty()) {
                    lostLocks.incrementAndGet();
                    LOG.warn("lost the lock on {}-{}@{} while working on it; the broker hands it to another worker",
                            record.topic(), record.partition(), record.offset());
                    if (running.get()) {
                        awaitQuietly(outcome); // its result is still published; the coordinator keeps the first verified one
                    } else {
                        outcome.cancel(true); // stopping: nothing left to acknowledge, no reason to wait
                    }
                    return;
                }
                held = renewed.get();
                renewals.incrementAndGet();
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
     * Renews the lock on {@code held} and waits for the record to come back into the consumer's
     * hands; empty when the broker refused the renewal or the record does not come back within a lock.
     */
    private Optional<ConsumerRecord<String, byte[]>> renew(ConsumerRecord<String, byte[]> held) {
        consumer.acknowledge(held, AcknowledgeType.RENEW);
        long lockMs = 3 * renewEveryMs();
        Map<TopicIdPartition, Optional<KafkaException>> committed = consumer.commitSync(Duration.ofMillis(lockMs));
        for (Map.Entry<TopicIdPartition, Optional<KafkaException>> e : committed.entrySet()) {
            if (e.getKey().topic().equals(held.topic()) && e.getKey().partition() == held.partition() && e.getValue().isPresent()) {
                LOG.debug("renewal of {}-{}@{} refused: {}", held.topic(), held.partition(), held.offset(), e.getValue().get().toString());
                return Optional.empty();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lockMs);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.topic().equals(held.topic()) && r.partition() == held.partition() && r.offset() == held.offset()) {
                    return Optional.of(r);
                }
                strays.incrementAndGet();
                LOG.warn("released {}-{}@{}, taken while renewing the lock on {}-{}@{}: this worker is busy", r.topic(), r.partition(),
                        r.offset(), held.topic(), held.partition(), held.offset());
                consumer.acknowledge(r, AcknowledgeType.RELEASE); // busy: another worker takes it
            }
        }
        return Optional.empty();
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
