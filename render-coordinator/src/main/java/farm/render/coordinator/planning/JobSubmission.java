package farm.render.coordinator.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.events.JobEvents;
import farm.render.coordinator.intake.SceneIntake;
import farm.render.coordinator.intake.SceneRecord;
import farm.render.coordinator.ledger.Accounts;
import farm.render.coordinator.ledger.Balances;
import farm.render.coordinator.ledger.EntryChain;
import farm.render.coordinator.ledger.EntryKind;
import farm.render.core.planning.DeviceMemoryNeed;
import farm.render.core.planning.FrameRanges;
import farm.render.core.planning.RenderSettings;
import farm.render.core.planning.TilePlanner;
import farm.render.core.planning.TileRect;
import farm.render.coordinator.webhooks.WebhookTargets;
import farm.render.core.wire.Tier;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a request into a job: validate, quote, escrow the quote and plan frames × tiles, one row per tile.
 * The escrow and the rows stand or fall together; the dispatch window
 * ({@link farm.render.coordinator.scheduling.TileDispatcher}) then publishes the tiles' tasks.
 */
@ApplicationScoped
public class JobSubmission {
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final ObjectMapper REQUEST_JSON = new ObjectMapper();

    private final SceneIntake scenes;
    private final Transactions tx;
    private final Balances balances;
    private final EntryChain chain;
    private final JobEvents events;
    private final WebhookTargets webhooks;
    private final FarmConfig config;

    public JobSubmission(SceneIntake scenes, Transactions tx, Balances balances, EntryChain chain, JobEvents events, WebhookTargets webhooks,
                         FarmConfig config) {
        this.scenes = scenes;
        this.tx = tx;
        this.balances = balances;
        this.chain = chain;
        this.events = events;
        this.webhooks = webhooks;
        this.config = config;
    }

    /** What the artist asked for besides the render itself: dispatch priority and webhook (null for none). */
    record Steering(int priority, String webhookUrl) {
        static Steering of(JobRequest r) {
            return new Steering(r.priority() == null ? Priority.DEFAULT : r.priority(), r.webhookUrl());
        }
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
        if (r.priority() != null) {
            Priority.problem(r.priority()).ifPresent(problems::add);
        }
        if (r.webhookUrl() != null) {
            problems.addAll(webhooks.problems(r.webhookUrl(), Accounts.validName(artist) ? Accounts.artist(artist) : null));
        }
        int maxBounces = r.maxBounces() == null ? RenderSettings.DEFAULT_BOUNCES : r.maxBounces();
        float clamp = r.clampIndirect() == null ? 0f : r.clampIndirect();
        if (!(clamp >= 0) || !Float.isFinite(clamp)) {
            problems.add("clampIndirect must be 0 (off) or a positive finite number");
        }
        int tileSize = r.tileSize() == null ? RenderSettings.DEFAULT_TILE : r.tileSize();
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
        Optional<SceneRecord> scene = scenes.find(r.sceneDigest());
        if (scene.isEmpty()) {
            throw new JobRejected(JobRejected.Why.UNKNOWN_SCENE, List.of("no scene with digest " + r.sceneDigest()));
        }
        long seed = r.seed() != null ? r.seed() : SEEDS.nextLong();
        RenderSettings settings = new RenderSettings(r.width(), r.height(), r.spp(), maxBounces, tileSize, seed, clamp);
        long quote = Quote.of(settings, tier, TilePlanner.plan(settings), frames.size(), config.peers().feePercent());
        // the largest tile's pixels: every tile is at most tileSize on a side
        long tilePixels = (long) Math.min(tileSize, r.width()) * Math.min(tileSize, r.height());
        long deviceMemory = DeviceMemoryNeed.upperBound(scene.get().triangles(), scene.get().instances(),
                scene.get().packageBytes(), tilePixels).total();
        return new Job(UUID.randomUUID().toString(), Accounts.artist(artist), r.sceneDigest(), frames.get(0),
                frames.get(frames.size() - 1), settings, tier, quote, JobState.RUNNING, null, frames, deviceMemory);
    }

    /**
     * Escrows the quote, records the job and publishes its tasks.
     *
     * @throws farm.render.coordinator.ledger.InsufficientFundsException when the artist cannot cover the quote
     */
    public Job submit(Job job) {
        return submit(job, new Steering(Priority.DEFAULT, null), c -> null);
    }

    /** A job created now, or found again because its Idempotency-Key was replayed with the same request. */
    public record Submitted(Job job, boolean replayed) {
    }

    /**
     * Plans and submits the request once per Idempotency-Key and account: a replay with the same request
     * finds the job the key created; the same key with another request is an {@link IdempotencyConflict}.
     *
     * @param idempotencyKey null to submit without one
     */
    public Submitted submit(JobRequest request, String artist, String idempotencyKey) {
        if (idempotencyKey == null) {
            return new Submitted(submit(plan(request, artist), Steering.of(request), c -> null), false);
        }
        String account = Accounts.artist(artist);
        String digest = requestDigest(request);
        Optional<Submitted> replay = replay(account, idempotencyKey, digest);
        if (replay.isPresent()) {
            return replay.get();
        }
        Job job = plan(request, artist);
        try {
            return new Submitted(submit(job, Steering.of(request), c -> {
                IdempotencyKeys.claim(c, account, idempotencyKey, digest, job.id());
                return null;
            }), false);
        } catch (Transactions.DatabaseException e) {
            // a concurrent request with the same key won the claim: answer with its job
            return replay(account, idempotencyKey, digest).orElseThrow(() -> e);
        }
    }

    private Optional<Submitted> replay(String account, String key, String digest) {
        return tx.inTransaction(c -> {
            Optional<IdempotencyKeys.Claimed> claimed = IdempotencyKeys.find(c, account, key);
            if (claimed.isEmpty()) {
                return Optional.empty();
            }
            if (!claimed.get().requestDigest().equals(digest)) {
                throw new IdempotencyConflict(key, claimed.get().jobId());
            }
            return JobStore.find(c, claimed.get().jobId(), false).map(j -> new Submitted(j, true));
        });
    }

    /** SHA-256 of the request as JSON, in the record's field order: tells a replay from a different request. */
    static String requestDigest(JobRequest request) {
        try {
            byte[] json = REQUEST_JSON.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest a job request", e);
        }
    }

    private Job submit(Job job, Steering steering, Transactions.Work<Void> alsoInTransaction) {
        // the account and its grant exist even if this job is refused
        tx.inTransaction(c -> balances.openArtist(c, job.account(), config.artist().initialGrant()));
        List<TileRect> rects = TilePlanner.plan(job.settings());
        Job created = tx.inTransaction(c -> {
            String escrow = Accounts.escrow(job.id());
            balances.open(c, escrow);
            chain.transfer(c, EntryKind.ESCROW, job.id(), "quote for job " + job.id(), job.account(), escrow, job.quote());
            JobStore.insertJob(c, job, rects, steering.priority(), steering.webhookUrl());
            alsoInTransaction.run(c);
            return job;
        });
        events.changed(created.id(), JobEvents.Change.SUBMITTED); // the dispatcher publishes its first tiles
        return created;
    }

    /** The price of the job this request would create, without creating anything. */
    public QuoteEstimate quote(JobRequest request, String artist) {
        Job job = plan(request, artist);
        RenderSettings s = job.settings();
        List<TileRect> rects = TilePlanner.plan(s);
        Quote.Range range = Quote.Range.around(Quote.exact(s, job.tier(), rects, job.frameCount()));
        long samples = Math.multiplyExact((long) s.width() * s.height() * s.spp(), job.frameCount());
        long balance = tx.inTransaction(c -> balances.exists(c, job.account()) ? balances.balance(c, job.account())
                : config.artist().initialGrant());
        return new QuoteEstimate(job.sceneDigest(), job.tier().name().toLowerCase(Locale.ROOT),
                FrameRanges.format(job.frames()), job.frameCount(), s.width(), s.height(), s.spp(), s.maxBounces(), s.tileSize(),
                rects.size(), rects.size() * job.frameCount(), samples, range.estimate(), range.low(), range.high(),
                Quote.UNCERTAINTY_PERCENT, Quote.verificationFees(s, job.tier(), rects, job.frameCount(), config.peers().feePercent()),
                job.quote(), balance, balance >= job.quote(), "micro-tokens", job.deviceMemoryBytes());
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
