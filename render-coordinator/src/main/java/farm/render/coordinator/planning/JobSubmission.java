package farm.render.coordinator.planning;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.dispatch.TaskFactory;
import farm.render.coordinator.dispatch.TaskSink;
import farm.render.coordinator.intake.SceneIntake;
import farm.render.coordinator.ledger.Accounts;
import farm.render.coordinator.ledger.EntryKind;
import farm.render.coordinator.ledger.Ledger;
import farm.render.core.planning.FrameRanges;
import farm.render.core.planning.RenderSettings;
import farm.render.core.planning.TilePlanner;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.Tier;
import farm.render.core.wire.TileTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns a request into a job: validate, quote, escrow the quote, plan frames × tiles and publish one
 * task per tile. The escrow, the rows and the published tasks stand or fall together: tasks are
 * acknowledged by Kafka before the transaction commits (a task of a rolled-back job names no job
 * and its verdict is ignored).
 */
@ApplicationScoped
public class JobSubmission {
    private static final SecureRandom SEEDS = new SecureRandom();

    private final SceneIntake scenes;
    private final Transactions tx;
    private final Ledger ledger;
    private final TaskFactory tasks;
    private final TaskSink sink;
    private final FarmConfig config;

    public JobSubmission(SceneIntake scenes, Transactions tx, Ledger ledger, TaskFactory tasks, TaskSink sink, FarmConfig config) {
        this.scenes = scenes;
        this.tx = tx;
        this.ledger = ledger;
        this.tasks = tasks;
        this.sink = sink;
        this.config = config;
    }

    /** Validates the request and applies defaults; throws {@link JobRejected} listing every problem. */
    public Job plan(JobRequest r, String artist) {
        List<String> problems = new ArrayList<>();
        if (!Accounts.validName(artist)) {
            problems.add("account must be 1-128 letters, digits, '.', '_', '@' or '-'");
        }
        if (r.sceneDigest() == null || r.sceneDigest().isBlank()) {
            problems.add("sceneDigest is required");
        }
        List<Integer> frames = frames(r, problems);
        if (r.width() == null) {
            problems.add("width is required");
        }
        if (r.height() == null) {
            problems.add("height is required");
        }
        if (r.spp() == null) {
            problems.add("spp is required");
        }
        int maxBounces = r.maxBounces() == null ? 8 : r.maxBounces();
        int tileSize = r.tileSize() == null ? 64 : r.tileSize();
        Tier tier = Tier.STANDARD;
        try {
            if (r.tier() != null) {
                tier = Tier.parse(r.tier());
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (r.width() != null && r.height() != null && r.spp() != null) {
            problems.addAll(RenderSettings.problems(r.width(), r.height(), r.spp(), maxBounces, tileSize));
        } else {
            problems.addAll(RenderSettings.problems(1, 1, 1, maxBounces, tileSize));
        }
        if (problems.isEmpty()) {
            long tilesPerFrame = (long) ceilDiv(r.width(), tileSize) * ceilDiv(r.height(), tileSize);
            long total = tilesPerFrame * frames.size();
            if (total > config.dispatch().maxTilesPerJob()) {
                problems.add("the job has " + total + " tiles; at most " + config.dispatch().maxTilesPerJob()
                        + " are allowed (use larger tiles or fewer frames)");
            }
        }
        if (!problems.isEmpty()) {
            throw new JobRejected(JobRejected.Why.INVALID, problems);
        }
        if (scenes.find(r.sceneDigest()).isEmpty()) {
            throw new JobRejected(JobRejected.Why.UNKNOWN_SCENE, List.of("no scene with digest " + r.sceneDigest()));
        }
        long seed = r.seed() != null ? r.seed() : SEEDS.nextLong();
        RenderSettings settings = new RenderSettings(r.width(), r.height(), r.spp(), maxBounces, tileSize, seed);
        long quote = Quote.of(settings, tier, TilePlanner.plan(settings), frames.size());
        return new Job(UUID.randomUUID().toString(), Accounts.artist(artist), r.sceneDigest(), frames.get(0),
                frames.get(frames.size() - 1), settings, tier, quote, JobState.RUNNING, null, frames);
    }

    /**
     * Escrows the quote, records the job and publishes its tasks.
     *
     * @throws farm.render.coordinator.ledger.InsufficientFundsException when the artist cannot cover the quote
     */
    public Job submit(Job job) {
        // the account and its grant exist even if this job is refused
        tx.inTransaction(c -> ledger.openArtist(c, job.account(), config.artist().initialGrant()));
        List<TileRect> rects = TilePlanner.plan(job.settings());
        List<TileTask> planned = new ArrayList<>(rects.size() * job.frameCount());
        for (int f : job.frames()) {
            for (int i = 0; i < rects.size(); i++) {
                planned.add(tasks.task(job, f, i, rects.get(i), 1));
            }
        }
        return tx.inTransaction(c -> {
            String escrow = Accounts.escrow(job.id());
            ledger.open(c, escrow);
            ledger.transfer(c, EntryKind.ESCROW, job.id(), "quote for job " + job.id(), job.account(), escrow, job.quote());
            JobStore.insertJob(c, job, rects);
            sink.publish(planned);
            return job;
        });
    }

    /** The frames a request names: {@code frames} ("1-100x5") or {@code frameStart}..{@code frameEnd}, by default frame 0. */
    static List<Integer> frames(JobRequest r, List<String> problems) {
        if (r.frames() != null) {
            if (r.frameStart() != null || r.frameEnd() != null) {
                problems.add("give either frames or frameStart/frameEnd, not both");
                return List.of(0);
            }
            try {
                return FrameRanges.parse(r.frames());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return List.of(0);
            }
        }
        int frameStart = r.frameStart() == null ? 0 : r.frameStart();
        int frameEnd = r.frameEnd() == null ? frameStart : r.frameEnd();
        if (frameStart < 0) {
            problems.add("frameStart must be 0 or more");
        }
        if (frameEnd < frameStart) {
            problems.add("frameEnd must not be before frameStart");
        }
        if (frameStart < 0 || frameEnd < frameStart) {
            return List.of(0);
        }
        try {
            return FrameRanges.range(frameStart, frameEnd);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return List.of(0);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
