package farm.render.coordinator.dispatch;

import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.planning.RenderSettings;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.RendererVersion;
import farm.render.core.wire.TileTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.stream.IntStream;

/** Builds the task record for one tile attempt, with presigned URLs scoped to its objects, signed by the coordinator. */
@ApplicationScoped
public class TaskFactory {
    private final ObjectStorage storage;
    private final CoordinatorKeys keys;

    public TaskFactory(ObjectStorage storage, CoordinatorKeys keys) {
        this.storage = storage;
        this.keys = keys;
    }

    public TileTask task(Job job, int frame, int tile, TileRect rect, int attempt) {
        return task(job, frame, tile, rect, attempt, storage.presignGet(ObjectKeys.scenePackage(job.sceneDigest())), List.of());
    }

    /** A tile's next attempt that asks {@code avoidWorkers} to leave it to other workers where they can. */
    public TileTask task(Job job, int frame, int tile, TileRect rect, int attempt, List<String> avoidWorkers) {
        return task(job, frame, tile, rect, attempt, storage.presignGet(ObjectKeys.scenePackage(job.sceneDigest())), avoidWorkers);
    }

    /** One tile attempt of a job to build a task for. */
    public record TileAttempt(int frame, int tile, TileRect rect, int attempt) {
    }

    /**
     * The tasks for these tile attempts of one job, in the order given. The scene's URL is presigned once
     * for all of them; the tasks are presigned and signed on all cores.
     */
    public List<TileTask> tasks(Job job, List<TileAttempt> attempts) {
        String sceneUrl = storage.presignGet(ObjectKeys.scenePackage(job.sceneDigest()));
        return IntStream.range(0, attempts.size()).parallel()
                .mapToObj(i -> {
                    TileAttempt a = attempts.get(i);
                    return task(job, a.frame(), a.tile(), a.rect(), a.attempt(), sceneUrl, List.of());
                })
                .toList();
    }

    private TileTask task(Job job, int frame, int tile, TileRect rect, int attempt, String sceneUrl, List<String> avoidWorkers) {
        RenderSettings s = job.settings();
        String tileKey = ObjectKeys.tile(job.id(), frame, tile, attempt);
        return new TileTask(TileTask.taskId(job.id(), frame, tile, attempt), job.id(), frame, tile, attempt, rect,
                s.width(), s.height(), s.spp(), s.maxBounces(), s.seed(), job.sceneDigest(), RendererVersion.CURRENT,
                sceneUrl, storage.presignPut(tileKey), storage.presignGet(tileKey), job.tier(), null)
                .withClampIndirect(s.clampIndirect())
                .withAvoidWorkers(avoidWorkers)
                .signedBy(keys.taskSigning().getPrivate()); // the verifier trusts the fields a result carries only with this
    }
}
