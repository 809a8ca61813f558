package farm.render.worker.daemon;

import farm.render.stack.services.FarmLayout;
import farm.render.stack.services.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lock renewal on the real Kafka 4.4 broker: a task whose work takes several times the share
 * group's lock is worked on once, by one worker, and accepted; a second worker polling the same
 * group all along never gets it.
 */
class TaskTakerTest {
    private static final int LOCK_MS = 2000;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(Files.createTempDirectory("task-taker-kafka"), FarmLayout.locate().kafkaLib());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static KafkaShareConsumer<String, byte[]> consumer(String group) {
        Map<String, Object> p = new HashMap<>(broker.clientProperties());
        p.put("group.id", group);
        p.put("share.acknowledgement.mode", "explicit");
        p.put("share.acquire.mode", "record_limit");
        p.put("max.poll.records", 1);
        return new KafkaShareConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void aTaskLongerThanTheLockIsWorkedOnOnceAndAccepted() throws Exception {
        String topic = "renew-" + UUID.randomUUID();
        String group = "renew-group-" + UUID.randomUUID();
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            ConfigResource g = new ConfigResource(ConfigResource.Type.GROUP, group);
            admin.incrementalAlterConfigs(Map.of(g, List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", String.valueOf(LOCK_MS)), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Queue<String> started = new ConcurrentLinkedQueue<>();
        Queue<Short> deliveries = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(1);
        // the work outlasts four locks: without renewal the broker would hand the task to the other worker
        TaskTaker.Work slow = record -> {
            started.add("renewing:" + record.offset());
            deliveries.add(record.deliveryCount().orElse((short) 0));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4L * LOCK_MS + 500);
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // stands in for a long render
            }
            done.countDown();
            return AcknowledgeType.ACCEPT;
        };
        Queue<String> otherGot = new ConcurrentLinkedQueue<>();
        try (KafkaShareConsumer<String, byte[]> first = consumer(group);
             KafkaShareConsumer<String, byte[]> second = consumer(group)) {
            TaskTaker renewing = new TaskTaker(first, slow, Duration.ofMillis(LOCK_MS));
            TaskTaker other = new TaskTaker(second, record -> {
                otherGot.add(record.key());
                return AcknowledgeType.ACCEPT;
            }, Duration.ofMillis(LOCK_MS));
            first.subscribe(List.of(topic));
            Thread a = new Thread(renewing::run, "renewing-worker");
            a.start();
            // the slow worker joins first and takes the task; the other joins once it is taken
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(topic, "long-tile", new byte[]{1})).get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> !started.isEmpty());
            second.subscribe(List.of(topic));
            Thread b = new Thread(other::run, "other-worker");
            b.start();
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            // give the broker several locks' time to hand the task out again if the accept did not hold
            try (KafkaShareConsumer<String, byte[]> probe = consumer(group)) {
                probe.subscribe(List.of(topic));
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4L * LOCK_MS);
                while (System.nanoTime() < until) {
                    for (ConsumerRecord<String, byte[]> r : probe.poll(Duration.ofMillis(200))) {
                        otherGot.add(r.key());
                        probe.acknowledge(r, AcknowledgeType.RELEASE);
                    }
                }
            }
            renewing.stop();
            other.stop();
            a.join(10_000);
            b.join(10_000);
            assertThat(renewing.renewals()).as("renewals while working").isGreaterThanOrEqualTo(3);
        }
        assertThat(started).as("the task was worked on once").hasSize(1);
        assertThat(deliveries).containsExactly((short) 1);
        assertThat(otherGot).as("no other worker got the task").isEmpty();
    }

    private static void createTopicAndGroup(String topic, String group) throws Exception {
        createTopicAndGroup(topic, group, LOCK_MS);
    }

    private static void createTopicAndGroup(String topic, String group, int lockMs) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            ConfigResource g = new ConfigResource(ConfigResource.Type.GROUP, group);
            admin.incrementalAlterConfigs(Map.of(g, List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", String.valueOf(lockMs)), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void send(String topic, String key) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, key, new byte[]{1})).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTaskQueuedWhileAWorkerIsBusyIsNotHeldByThatWorker() throws Exception {
        String topic = "busy-" + UUID.randomUUID();
        String group = "busy-group-" + UUID.randomUUID();
        createTopicAndGroup(topic, group);
        Queue<String> busyWorkedOn = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch queued = new CountDownLatch(1);
        TaskTaker[] busy = new TaskTaker[1];
        TaskTaker.Work slow = record -> {
            busyWorkedOn.add(record.key());
            started.countDown();
            try {
                queued.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3L * LOCK_MS);
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // stands in for a long render, during which the next task arrives
            }
            busy[0].stop(); // this worker leaves after its tile: the next task must go to the other one
            return AcknowledgeType.ACCEPT;
        };
        try (KafkaShareConsumer<String, byte[]> first = consumer(group)) {
            busy[0] = new TaskTaker(first, slow, Duration.ofMillis(LOCK_MS));
            first.subscribe(List.of(topic));
            Thread a = new Thread(busy[0]::run, "busy-worker");
            a.start();
            send(topic, "long-tile");
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            send(topic, "next-tile");
            queued.countDown();
            a.join(60_000);
            assertThat(a.isAlive()).isFalse();
        }
        Queue<Short> nextDeliveries = new ConcurrentLinkedQueue<>();
        try (KafkaShareConsumer<String, byte[]> second = consumer(group)) {
            TaskTaker free = new TaskTaker(second, record -> {
                nextDeliveries.add(record.deliveryCount().orElse((short) 0));
                return AcknowledgeType.ACCEPT;
            }, Duration.ofMillis(LOCK_MS));
            second.subscribe(List.of(topic));
            Thread b = new Thread(free::run, "free-worker");
            b.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !nextDeliveries.isEmpty());
            free.stop();
            b.join(10_000);
        }
        assertThat(busyWorkedOn).as("the busy worker worked on its own task only").containsExactly("long-tile");
        assertThat(nextDeliveries).as("the task queued meanwhile reaches the free worker as its first delivery")
                .containsExactly((short) 1);
    }

    @Test
    void aStopWhoseGraceRunsOutReleasesTheTaskToAnotherWorkerWithoutWaitingForItsLock() throws Exception {
        String topic = "stop-" + UUID.randomUUID();
        String group = "stop-group-" + UUID.randomUUID();
        int longLockMs = 60_000; // the broker's largest: a task that came back by its lock lapsing would come too late
        createTopicAndGroup(topic, group, longLockMs);
        CountDownLatch started = new CountDownLatch(1);
        TaskTaker.Work endless = record -> {
            started.countDown();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2L * longLockMs);
            while (System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait(); // a render that will not finish within the stop grace
            }
            return AcknowledgeType.ACCEPT;
        };
        Queue<Short> otherDeliveries = new ConcurrentLinkedQueue<>();
        try (KafkaShareConsumer<String, byte[]> first = consumer(group);
             KafkaShareConsumer<String, byte[]> second = consumer(group)) {
            TaskTaker stopping = new TaskTaker(first, endless, Duration.ofMillis(longLockMs));
            first.subscribe(List.of(topic));
            Thread a = new Thread(stopping::run, "stopping-worker");
            a.start();
            send(topic, "long-tile");
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            stopping.stop(Duration.ofMillis(1));
            a.join(30_000);
            assertThat(a.isAlive()).as("the stopped taker returned").isFalse();
            // the first consumer stays open and holds no lock: only an explicit release lets the task go now
            TaskTaker other = new TaskTaker(second, record -> {
                otherDeliveries.add(record.deliveryCount().orElse((short) 0));
                return AcknowledgeType.ACCEPT;
            }, Duration.ofMillis(longLockMs));
            second.subscribe(List.of(topic));
            Thread b = new Thread(other::run, "other-worker");
            b.start();
            await().atMost(Duration.ofMillis(longLockMs / 2)).until(() -> !otherDeliveries.isEmpty());
            other.stop();
            b.join(10_000);
        }
        assertThat(otherDeliveries).as("the released task went to the other worker as its second delivery").containsExactly((short) 2);
    }
}
