package farm.render.worker.daemon;

import farm.render.core.classes.ProbeTile;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.PosedFrames;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.KafkaLogin;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.ProbeAssignment;
import farm.render.core.wire.RendererVersion;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileTicket;
import farm.render.core.wire.Tier;
import farm.render.core.wire.Topics;
import farm.render.core.wire.WireJson;
import farm.render.worker.render.TileRenderer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The worker daemon: takes tile tickets from the share group one at a time, claims each from the
 * coordinator (which answers with the task bound to this worker, or refuses), renders it, PUTs the
 * tile to its presigned URL, publishes a result, and only then ACCEPTs the record. A refused ticket is
 * ACCEPTed at once (the coordinator publishes the tile again where needed, so a refusal never uses up a
 * delivery). Anything that goes wrong on this side RELEASEs the record so another worker gets it; a
 * ticket this worker can never render (malformed, other renderer version) is REJECTed or RELEASEd.
 */
public final class TileWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TileWorker.class);
    /** The lock assumed until the broker states the share group's (the coordinator's default). */
    private static final Duration ASSUMED_LOCK = Duration.ofSeconds(30);
    /** How long a stopping worker lets the tile it renders finish (tiles are sized to take well under a lock). */
    public static final Duration STOP_GRACE = Duration.ofSeconds(90);
    /** How long a ticket waits for a coordinator that cannot answer its claim before it is released to others. */
    static final Duration CLAIM_PATIENCE = Duration.ofMinutes(2);
    /** How often an idle worker asks the coordinator for a peer check. */
    static final Duration IDLE_ASK = Duration.ofSeconds(2);
    /**
     * How long a loop waits after a claim refused for device memory: the tile went out again for a larger device, and
     * where none is online it comes back here; the wait keeps that to a claim a second rather than a busy loop.
     */
    static final Duration DEVICE_MEMORY_PAUSE = Duration.ofSeconds(1);

    private final WorkerOptions options;
    private final int loop;
    private final TileRenderer renderer;
    private final TileProducer producer;
    private final List<Tier> tiers;
    private final KafkaShareConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> results;
    private final PresignedHttp http = new PresignedHttp(1L << 30);
    private final SceneCache scenes;
    private final VramBudget vram;
    private final TaskTaker taker;
    private final TileClaimer claimer;
    private volatile long tilesDone;
    private volatile long pathsDone;
    private volatile long busyNanos;
    private volatile String current = "idle";
    private volatile boolean stopping;
    private long lastIdleAsk = System.nanoTime() - IDLE_ASK.toNanos();

    /**
     * @param loop   this task loop's number, from 1, among the {@code --workers} loops of one worker process
     * @param scenes the scene cache, shared by every loop of the process
     * @param vram   this loop's share of the device memory budget
     * @param tiers  the tiers to poll: the ones asked for that this worker's reputation allows
     * @param login  the worker's own Kafka login from its registration; none on a broker without authentication
     * @param claimer the coordinator link that turns acquired tickets into this worker's tasks
     */
    public TileWorker(WorkerOptions options, int loop, TileRenderer renderer, TileProducer producer, SceneCache scenes,
                      VramBudget vram, List<Tier> tiers, Optional<KafkaLogin> login, TileClaimer claimer) {
        this.claimer = claimer;
        this.options = options;
        this.loop = loop;
        this.renderer = renderer;
        this.producer = producer;
        this.tiers = List.copyOf(tiers);
        this.scenes = scenes;
        this.vram = vram;
        String clientId = options.workers() == 1 ? options.workerId() : options.workerId() + "-" + loop;
        this.consumer = new KafkaShareConsumer<>(KafkaLogin.with(login, Map.of(
                "bootstrap.servers", options.bootstrapServers(),
                "group.id", Topics.WORKER_SHARE_GROUP,
                "client.id", clientId,
                "share.acknowledgement.mode", "explicit",
                "share.acquire.mode", "record_limit",
                "max.poll.records", 1)),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.results = new KafkaProducer<>(KafkaLogin.with(login, Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, clientId + "-results",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new StringSerializer(), new ByteArraySerializer());
        this.taker = new TaskTaker(consumer, new TaskTaker.Work() {
            @Override
            public AcknowledgeType handle(ConsumerRecord<String, byte[]> record) {
                return TileWorker.this.handle(record);
            }

            @Override
            public void idle() {
                checkWhileIdle();
            }
        }, ASSUMED_LOCK, options.workers() == 1 ? "tile-work" : "tile-work-" + loop);
    }

    /**
     * Runs until {@link #stop()}; each record is acknowledged before the next poll, and its lock is
     * renewed while its tile renders (see {@link TaskTaker}).
     */
    public void run() {
        consumer.subscribe(tiers.stream().map(Tier::topic).toList());
        LOG.info("worker {} (loop {} of {}) on device '{}' polling {}, device memory budget {}, scene cache {}", options.workerId(),
                loop, options.workers(), renderer.deviceName(), tiers, ByteSize.format(vram.bytes()), ByteSize.format(options.cacheBytes()));
        try {
            taker.run();
        } finally {
            consumer.close(Duration.ofSeconds(5));
            results.close(Duration.ofSeconds(5));
        }
    }

    AcknowledgeType handle(ConsumerRecord<String, byte[]> record) {
        TileTicket ticket;
        try {
            ticket = WireJson.decode(record.value(), TileTicket.class);
        } catch (IllegalArgumentException e) {
            LOG.warn("rejecting a malformed ticket at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return AcknowledgeType.REJECT;
        }
        if (ticket.jobId() == null || ticket.rect() == null) {
            LOG.warn("rejecting a ticket without its job or tile at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return AcknowledgeType.REJECT;
        }
        if (!RendererVersion.CURRENT.equals(ticket.rendererVersion())) {
            LOG.warn("releasing ticket {}: it needs renderer {}, this worker has {}", ticket.taskId(), ticket.rendererVersion(),
                    RendererVersion.CURRENT);
            return AcknowledgeType.RELEASE;
        }
        Optional<ClaimAnswer> claimed = claim(ticket);
        if (claimed.isEmpty()) {
            return AcknowledgeType.RELEASE;
        }
        ClaimAnswer answer = claimed.get();
        if (answer.probes() != null) {
            renderProbes(answer.probes());
            return AcknowledgeType.ACCEPT;
        }
        if (answer.peerCheck() != null) {
            checkPixels(answer.peerCheck());
            return AcknowledgeType.ACCEPT;
        }
        if (ClaimAnswer.DEVICE_MEMORY.equals(answer.refusal())) {
            // the coordinator sent the tile out again for a larger device: this loop lets it go
            LOG.warn("ticket {} left to a larger device: {}", ticket.taskId(), answer.detail());
            pause(DEVICE_MEMORY_PAUSE);
            return AcknowledgeType.ACCEPT;
        }
        if (!answer.isGranted()) {
            LOG.info("ticket {} not ours: {} ({})", ticket.taskId(), answer.refusal(), answer.detail());
            return AcknowledgeType.ACCEPT;
        }
        TileTask task = answer.task();
        if (!ticket.taskId().equals(task.taskId()) || !options.workerId().equals(task.workerId())) {
            LOG.warn("releasing ticket {}: the claim answered with another task ({} for {})", ticket.taskId(), task.taskId(), task.workerId());
            return AcknowledgeType.RELEASE;
        }
        short delivery = record.deliveryCount().orElse((short) 1);
        try {
            LOG.info("rendering task {} (delivery {})", task.taskId(), delivery);
            current = task.taskId();
            long start = System.nanoTime();
            PosedFrames.Frame frame = scenes.frame(task.sceneDigest(), task.sceneUrl(), task.frame());
            Optional<String> refusal = vram.refusal(task.taskId(), task.sceneDigest(),
                    renderer.deviceBytes(frame.scene(), frame.geometryKey(), task.rect().pixelCount()));
            if (refusal.isPresent()) {
                LOG.warn(refusal.get());
                current = "idle";
                return AcknowledgeType.RELEASE;
            }
            TileProducer.Produced produced = producer.produce(task, frame);
            http.put(task.tileUploadUrl(), produced.tile());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            TileResult result = produced.result();
            results.send(new ProducerRecord<>(Topics.RESULTS, task.jobId(), WireJson.encode(result))).get(30, TimeUnit.SECONDS);
            tilesDone++;
            pathsDone += (long) task.rect().pixelCount() * task.spp();
            busyNanos += System.nanoTime() - start;
            current = "idle";
            LOG.info("finished task {} in {} ms ({} tiles so far, {} paths/s while busy)", task.taskId(), millis, tilesDone,
                    pathsPerSecond());
            return AcknowledgeType.ACCEPT;
        } catch (InvalidSceneException e) {
            LOG.warn("rejecting task {}: its scene package is invalid: {}", task.taskId(), e.getMessage());
            return AcknowledgeType.REJECT;
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("releasing task {} after a failure: {}", task.taskId(), e.toString());
            return AcknowledgeType.RELEASE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AcknowledgeType.RELEASE;
        } finally {
            current = "idle";
        }
    }

    /** Renders the probe tiles the claim assigned in place of a ticket (which went back to be published) and reports them. */
    private void renderProbes(ProbeAssignment assignment) {
        if (assignment.count() <= 0 || assignment.count() > ProbeTile.MAX_PROBES) {
            LOG.warn("ignoring a probe assignment of {} tiles", assignment.count());
            return;
        }
        try {
            current = "probe tiles";
            long start = System.nanoTime();
            claimer.reportProbes(producer.probes(assignment));
            LOG.info("rendered and reported {} probe tiles of numerical class {} in {} ms", assignment.count(), assignment.classId(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (IOException | InvalidSceneException | RuntimeException e) {
            LOG.warn("the probe tiles were not reported: {}", e.toString());
        } finally {
            current = "idle";
        }
    }

    /** With no ticket at hand, at most every {@link #IDLE_ASK}: asks for a peer check this worker may do, and does it. */
    private void checkWhileIdle() {
        long now = System.nanoTime();
        if (now - lastIdleAsk < IDLE_ASK.toNanos()) {
            return;
        }
        lastIdleAsk = now;
        try {
            claimer.nextPeerCheck(options.workerId()).ifPresent(this::checkPixels);
        } catch (IOException | RuntimeException e) {
            LOG.debug("no peer check taken while idle: {}", e.toString());
        }
    }

    /** Re-renders the pixels of another worker's tile that the claim assigned in place of a ticket, and reports them. */
    private void checkPixels(PeerCheckAssignment check) {
        if (check.pixelCount() <= 0 || check.pixelCount() > PeerCheckAssignment.MAX_PIXELS || check.xy().length % 2 != 0) {
            LOG.warn("ignoring a peer check of {} pixels", check.pixelCount());
            return;
        }
        try {
            current = "peer check " + check.checkId();
            long start = System.nanoTime();
            PosedFrames.Frame frame = scenes.frame(check.sceneDigest(), check.sceneUrl(), check.frame());
            String outcome = claimer.reportPeerCheck(producer.peerCheck(check, frame));
            LOG.info("re-rendered and reported {} pixels of peer check {} in {} ms: {}", check.pixelCount(), check.checkId(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcome);
        } catch (IOException | InvalidSceneException | RuntimeException e) {
            LOG.warn("peer check {} was not reported: {}", check.checkId(), e.toString());
        } finally {
            current = "idle";
        }
    }

    /**
     * The coordinator's answer to this ticket's claim. While the coordinator cannot answer (restarting, unreachable)
     * the claim is tried again with growing pauses, the record's lock renewed meanwhile, for up to
     * {@link #CLAIM_PATIENCE}: releasing at once would use up the ticket's deliveries within seconds and archive it.
     * Empty when it never went through, or the worker is stopping.
     */
    private Optional<ClaimAnswer> claim(TileTicket ticket) {
        long deadline = System.nanoTime() + CLAIM_PATIENCE.toNanos();
        long pauseMs = 250;
        while (true) {
            try {
                return Optional.of(claimer.claim(options.workerId(), List.of(ticket), vram.bytes()).get(0));
            } catch (IOException | RuntimeException e) {
                if (stopping || System.nanoTime() + pauseMs * 1_000_000 > deadline) {
                    LOG.warn("releasing ticket {}: the claim did not go through: {}", ticket.taskId(), e.getMessage());
                    return Optional.empty();
                }
                LOG.warn("the claim of ticket {} did not go through ({}); trying again in {} ms", ticket.taskId(), e.getMessage(), pauseMs);
                try {
                    Thread.sleep(pauseMs); // back-off before asking an unavailable coordinator again
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
                pauseMs = Math.min(pauseMs * 2, 5_000);
            }
        }
    }

    private void pause(Duration d) {
        if (stopping) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long pathsPerSecond() {
        return busyNanos == 0 ? 0 : Math.round(pathsDone / (busyNanos / 1e9));
    }

    /** One line for the owner: what the worker is doing and what it has done. */
    public String statusLine() {
        return String.format("current %s, %d tiles done, %,d paths/s while busy", current, tilesDone, pathsPerSecond());
    }

    /** The status of every loop of one process in one line: tiles done and paths/s summed, each loop's current tile. */
    public static String statusLine(List<TileWorker> loops) {
        if (loops.size() == 1) {
            return loops.get(0).statusLine();
        }
        long tiles = 0;
        long paths = 0;
        StringBuilder current = new StringBuilder();
        for (TileWorker w : loops) {
            tiles += w.tilesDone;
            paths += w.pathsPerSecond();
            current.append(current.length() == 0 ? "" : ", ").append(w.loop).append(": ").append(w.current).append(" (")
                    .append(w.tilesDone).append(" done)");
        }
        return String.format("%d loops [%s], %d tiles done, %,d paths/s while busy", loops.size(), current, tiles, paths);
    }

    /**
     * Stops taking tasks: a tile being rendered is finished, published and accepted first if that takes
     * under {@link #STOP_GRACE}; otherwise it is released, and another worker takes it at once.
     */
    public void stop() {
        stopping = true;
        taker.stop(STOP_GRACE);
    }

    @Override
    public void close() {
        stop();
    }
}
