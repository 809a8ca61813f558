package farm.render.verifier.bench;

import farm.render.core.identity.Ed25519;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.core.wire.RendererVersion;
import farm.render.core.wire.Reputation;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Tier;
import farm.render.verifier.ResultVerification;
import farm.render.verifier.SpotCheck;
import farm.render.verifier.trust.RegisteredWorker;
import farm.render.verifier.trust.WorkerDirectory;
import farm.render.worker.daemon.TileProducer;
import farm.render.worker.daemon.WorkerIdentity;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trust path of the farm without its services, for tests and the verification benchmark: a
 * coordinator key that signs tasks, a directory of registered workers, an in-memory object store,
 * and the real {@link ResultVerification}. Workers are {@link TileProducer}s over the real renderer.
 */
public final class InProcessFarm implements WorkerDirectory, ResultVerification.TileSource {
    private final KeyPair coordinator = Ed25519.generate();
    private final Map<String, RegisteredWorker> workers = new ConcurrentHashMap<>();
    private final Map<String, byte[]> store = new ConcurrentHashMap<>();
    private final Scene scene;
    private final String sceneDigest;
    private final ResultVerification verification;

    public InProcessFarm(Scene scene, String sceneDigest, SpotCheck check) {
        this.scene = scene;
        this.sceneDigest = sceneDigest;
        this.verification = new ResultVerification(this, check);
    }

    /** Registers a new worker (a fresh key pair) with the given record. */
    public WorkerIdentity register(String workerId, Reputation reputation) {
        WorkerIdentity identity = new WorkerIdentity(workerId, Ed25519.generate());
        workers.put(workerId, new RegisteredWorker(workerId, identity.keys().getPublic(), reputation));
        return identity;
    }

    public void setReputation(String workerId, Reputation reputation) {
        workers.computeIfPresent(workerId, (id, w) -> new RegisteredWorker(id, w.publicKey(), reputation));
    }

    /** Counts a verdict into the worker's record, as the coordinator does (no decay: a bench lasts minutes). */
    public void record(TileVerdict verdict) {
        if (verdict.passed() || verdict.attributable()) {
            workers.computeIfPresent(verdict.workerId(), (id, w) -> new RegisteredWorker(id, w.publicKey(), new Reputation(
                    w.reputation().passes() + (verdict.passed() ? 1 : 0), w.reputation().fails() + (verdict.passed() ? 0 : 1))));
        }
    }

    /** A tile attempt before any worker claimed it, signed with the coordinator's key (not yet a task any worker holds). */
    public TileTask task(String jobId, int frame, int tile, int attempt, TileRect rect, int imageWidth, int imageHeight,
                         int spp, int maxBounces, long seed) {
        String id = TileTask.taskId(jobId, frame, tile, attempt);
        return new TileTask(id, jobId, frame, tile, attempt, rect, imageWidth, imageHeight, spp, maxBounces, seed, sceneDigest,
                RendererVersion.CURRENT, "mem://scene/" + sceneDigest, "mem://put/" + id, "mem://get/" + id, Tier.STANDARD, null)
                .signedBy(coordinator.getPrivate());
    }

    /** The task as the coordinator answers {@code workerId}'s claim: bound to it, its tile read from that worker's own key. */
    public TileTask claim(TileTask task, String workerId) {
        return claim(task, workerId, null);
    }

    /** The same, naming who checks the result: {@link TileTask#PEER} for a worker of an unproven class, else null. */
    public TileTask claim(TileTask task, String workerId, String checkedBy) {
        return new TileTask(task.taskId(), task.jobId(), task.frame(), task.tile(), task.attempt(), task.rect(), task.imageWidth(),
                task.imageHeight(), task.spp(), task.maxBounces(), task.seed(), task.sceneDigest(), task.rendererVersion(),
                task.sceneUrl(), task.tileUploadUrl() + "/" + workerId, task.tileDownloadUrl() + "/" + workerId, task.tier(), null)
                .withClampIndirect(task.clampIndirect()).forWorker(workerId).withCheckedBy(checkedBy).signedBy(coordinator.getPrivate());
    }

    /** What the worker does (claim, render or cheat, upload), then what the verifier does. */
    public Round round(TileProducer worker, TileTask unclaimed) {
        return round(worker, unclaimed, null);
    }

    /** The same for a task whose claim names {@code checkedBy} as checker. */
    public Round round(TileProducer worker, TileTask unclaimed, String checkedBy) {
        TileTask task = claim(unclaimed, worker.workerId(), checkedBy);
        TileProducer.Produced produced = worker.produce(task, scene);
        upload(task, produced.tile());
        long t0 = System.nanoTime();
        TileVerdict verdict = verify(produced.result());
        return new Round(produced, verdict, produced.renderNanos(), System.nanoTime() - t0);
    }

    public TileVerdict verify(farm.render.core.wire.TileResult result) {
        try {
            return verification.verify(result, this);
        } catch (IOException | farm.render.core.scene.InvalidSceneException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the verifier service does with {@code result}: a verdict to publish, or the result dropped. */
    public ResultVerification.Judgement judge(farm.render.core.wire.TileResult result) {
        try {
            return verification.judge(result, this);
        } catch (IOException | farm.render.core.scene.InvalidSceneException e) {
            throw new IllegalStateException(e);
        }
    }

    public void upload(TileTask task, byte[] bytes) {
        store.put(task.tileDownloadUrl(), bytes);
    }

    /** One task: what the worker made, the verdict, and the compute each side spent. */
    public record Round(TileProducer.Produced produced, TileVerdict verdict, long renderNanos, long verifyNanos) {
    }

    @Override
    public PublicKey coordinatorKey() {
        return coordinator.getPublic();
    }

    @Override
    public Optional<RegisteredWorker> worker(String workerId) {
        return Optional.ofNullable(workers.get(workerId));
    }

    @Override
    public Scene scene(TileTask task) {
        return scene;
    }

    @Override
    public byte[] tile(TileTask task) throws IOException {
        byte[] b = store.get(task.tileDownloadUrl());
        if (b == null) {
            throw new IOException("no object at " + task.tileDownloadUrl());
        }
        return b;
    }
}
