package farm.render.coordinator.dispatch;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.planning.RenderSettings;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.RendererVersion;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileTicket;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;

/**
 * Builds what a tile attempt becomes on its way to a worker: the ticket published on the tier's topic (no
 * secrets), and, at the claim, the task for the one worker that claimed it, with presigned URLs scoped to its
 * objects and to the lease, signed by the coordinator.
 */
@ApplicationScoped
public class TaskFactory {
    private final ObjectStorage storage;
    private final CoordinatorKeys keys;
    private final Duration verifyUrlLifetime;

    public TaskFactory(ObjectStorage storage, CoordinatorKeys keys, FarmConfig config) {
        this.storage = storage;
        this.keys = keys;
        this.verifyUrlLifetime = config.s3().verifyUrlLifetime();
    }

    /** One tile attempt of a job. */
    public record TileAttempt(int frame, int tile, TileRect rect, int attempt) {
    }

    public TileTicket ticket(Job job, int frame, int tile, TileRect rect, int attempt) {
        return TileTicket.of(job.id(), frame, tile, attempt, job.tier(), rect, job.sceneDigest());
    }

    /** The tickets for these tile attempts of one job, in the order given. */
    public List<TileTicket> tickets(Job job, List<TileAttempt> attempts) {
        return attempts.stream().map(a -> ticket(job, a.frame(), a.tile(), a.rect(), a.attempt())).toList();
    }

    /**
     * The task of a claimed attempt for {@code workerId}: the scene GET and the tile PUT last the lease; the PUT
     * names the worker's own key, and the tile GET (for the verifier, inside the signed task) reads that key.
     *
     * @param sceneUrl the scene package's GET, presigned once per claim batch
     */
    public TileTask claimed(Job job, int frame, int tile, TileRect rect, int attempt, String workerId, String sceneUrl) {
        return claimed(job, frame, tile, rect, attempt, workerId, sceneUrl, null);
    }

    /** As above, naming who checks the result: {@link TileTask#PEER}, or null for the trusted verifier. */
    public TileTask claimed(Job job, int frame, int tile, TileRect rect, int attempt, String workerId, String sceneUrl,
                            String checkedBy) {
        RenderSettings s = job.settings();
        String tileKey = ObjectKeys.tile(job.id(), frame, tile, attempt, workerId);
        return new TileTask(TileTask.taskId(job.id(), frame, tile, attempt), job.id(), frame, tile, attempt, rect,
                s.width(), s.height(), s.spp(), s.maxBounces(), s.seed(), job.sceneDigest(), RendererVersion.CURRENT,
                sceneUrl, storage.presignPut(tileKey), storage.presignGet(tileKey, verifyUrlLifetime), job.tier(), null)
                .withClampIndirect(s.clampIndirect())
                .forWorker(workerId)
                .withCheckedBy(checkedBy)
                .signedBy(keys.taskSigning().getPrivate()); // the verifier trusts the fields a result carries only with this
    }

    /** The same task for the trusted verifier: checker cleared, the tile's GET presigned afresh, signed again. */
    public TileTask forVerifier(TileTask task) {
        String tileKey = ObjectKeys.tile(task.jobId(), task.frame(), task.tile(), task.attempt(), task.workerId());
        return new TileTask(task.taskId(), task.jobId(), task.frame(), task.tile(), task.attempt(), task.rect(), task.imageWidth(),
                task.imageHeight(), task.spp(), task.maxBounces(), task.seed(), task.sceneDigest(), task.rendererVersion(),
                task.sceneUrl(), task.tileUploadUrl(), storage.presignGet(tileKey, verifyUrlLifetime), task.tier(), null,
                task.clampIndirect(), task.workerId(), null).signedBy(keys.taskSigning().getPrivate());
    }

    /** The scene package's GET for the lease. */
    public String sceneUrl(Job job) {
        return storage.presignGet(ObjectKeys.scenePackage(job.sceneDigest()));
    }
}
