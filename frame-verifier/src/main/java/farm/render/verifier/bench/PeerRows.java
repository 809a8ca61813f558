package farm.render.verifier.bench;

import farm.render.core.classes.PeerCheckPixels;
import farm.render.core.image.PixelComparison;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.PosedFrames;
import farm.render.core.scene.Scene;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import farm.render.core.wire.Reputation;
import farm.render.core.wire.SampledPixel;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.verifier.ResultVerification;
import farm.render.worker.daemon.Cheat;
import farm.render.worker.daemon.TileProducer;
import farm.render.worker.daemon.WorkerIdentity;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.TileRenderer;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The peer-checked rows of {@code ./farm bench verify}. Workers of an unproven class (lavapipe with the test-only last-bit
 * perturbation) render in one child process, their peers (the same perturbation held to SSE4.1: an equivalent class, bit
 * for bit) in another; the trusted verifier samples every tile in this process, unperturbed, at {@link PixelComparison#DEFAULT}.
 * A tile that passes the sample opens a peer check drawn by {@link PeerCheckPixels}, with the sample and agreed pixels of
 * other tiles as known answers, and its judgement is followed as the coordinator follows it: a peer that misses a known
 * answer is caught and the check goes to another peer; a dispute goes to a third peer of the class, then to the verifier.
 * All rows render frames of one job, so known answers of other tiles come from the rows before.
 */
final class PeerRows {
    /** The worker's class: lavapipe as it is, every reciprocal's last bit flipped. */
    static final Map<String, String> WORKER_CLASS = Map.of("FARM_TEST_PERTURB_LAST_BIT", "1");
    /** The peers' class: the same perturbation held to SSE4.1, another configuration that renders the same bits. */
    static final Map<String, String> PEER_CLASS = Map.of("FARM_TEST_PERTURB_LAST_BIT", "1", "GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1");
    /** Known answers of each kind a check draws at most: the verifier's sampled pixels, and agreed pixels of other tiles. */
    static final int KNOWN_ANSWERS = 8;
    /** Forging workers checked by an honest peer. */
    static final List<Cheat> FORGING = List.of(Cheat.FORGE_1_PERCENT, Cheat.FORGE_5_PERCENT, Cheat.FORGE_25_PERCENT,
            Cheat.FEWER_SAMPLES, Cheat.COPY_TILE);
    /** Forging workers whose peer colludes. */
    static final List<Cheat> COLLUDING = List.of(Cheat.FORGE_5_PERCENT, Cheat.FORGE_25_PERCENT);

    /** The rows' settings: honest tiles, tiles per cheating row, tiles at the demo's job settings. */
    record Settings(int honestTiles, int cheatTiles, int demoTiles) {
    }

    /** What the rows found: the rows, the peer path at demo settings (null when not measured), the two devices. */
    record Result(List<PeerTally> rows, PeerTally demo, int demoK, String workerDevice, String peerDevice) {
    }

    private final InProcessFarm farm;
    private final Scene scene;
    private final TileRenderer verifier;
    private final AgreedPixels agreed = new AgreedPixels();
    private final Random random = new SecureRandom();
    private final BenchPeer backup;
    private final BenchPeer referee;
    private long checkIds;

    /** {@code peers} renders in the peers' class: the backup peer and the referee of every check are honest peers on it. */
    PeerRows(InProcessFarm farm, Scene scene, TileRenderer verifier, TileRenderer peers) {
        this.farm = farm;
        this.scene = scene;
        this.verifier = verifier;
        this.backup = peer(peers, "peer-backup", BenchPeer.Behaviour.HONEST);
        this.referee = peer(peers, "peer-referee", BenchPeer.Behaviour.HONEST);
    }

    static Result run(VerifyBench.Options o, Settings s, InProcessFarm farm, Scene scene, TileRenderer verifier) throws IOException {
        try (ChildProcessRenderer workers = ChildProcessRenderer.start(o.scene(), WORKER_CLASS);
             ChildProcessRenderer peers = ChildProcessRenderer.start(o.scene(), PEER_CLASS)) {
            return new PeerRows(farm, scene, verifier, peers).rows(o, s, workers, peers);
        }
    }

    private Result rows(VerifyBench.Options o, Settings s, ChildProcessRenderer workers, ChildProcessRenderer peers) {
        BenchPeer honestPeer = peer(peers, "peer", BenchPeer.Behaviour.HONEST);
        List<PeerTally> rows = new ArrayList<>();
        TileProducer honestWorker = new TileProducer(workers, farm.register("unproven-honest", Reputation.NEW));
        rows.add(row(o, "honest, honest peer", honestWorker, Optional.empty(), honestPeer, s.honestTiles(), 1));
        for (Cheat c : FORGING) {
            rows.add(row(o, name(c) + ", honest peer", forger(workers, c, "unproven-"), Optional.of(c), honestPeer,
                    s.cheatTiles(), rows.size() + 1));
        }
        for (BenchPeer.Behaviour b : List.of(BenchPeer.Behaviour.LYING, BenchPeer.Behaviour.LAZY)) {
            String kind = b.name().toLowerCase(Locale.ROOT);
            TileProducer w = new TileProducer(workers, farm.register("unproven-honest-" + kind, Reputation.NEW));
            rows.add(row(o, "honest, " + kind + " peer", w, Optional.empty(), peer(peers, kind + "-peer", b), s.cheatTiles(),
                    rows.size() + 1));
        }
        // last: a colluding pair's agreed pixels are forged known answers for the checks after it
        for (Cheat c : COLLUDING) {
            rows.add(row(o, name(c) + ", colluding peer", forger(workers, c, "colluding-"), Optional.of(c),
                    peer(peers, "colluding-peer-" + name(c), BenchPeer.Behaviour.COLLUDING), s.cheatTiles(), rows.size() + 1));
        }
        PeerTally demo = null;
        if (s.demoTiles() > 0) {
            VerifyBench.Options settings = new VerifyBench.Options(0, 0, 64, 64, 4, 512, 0, o.scene(), 0, null);
            demo = new PeerTally("honest, honest peer, demo settings", Optional.empty(), BenchPeer.Behaviour.HONEST);
            for (int i = 0; i < s.demoTiles(); i++) {
                tile(demo, honestWorker, honestPeer, VerifyBench.task(farm, settings, "peer-demo", i, 8, 64, 1), true);
            }
        }
        int k = farm.worker(honestWorker.workerId()).orElseThrow().reputation().sampledPixels();
        return new Result(rows, demo, k, workers.deviceName(), peers.deviceName());
    }

    /** The rows' table and notes; feeds their goals into {@code summary}. */
    static void print(Result r, VerifyBench.Options o, String verifierDevice, Summary summary) {
        List<PeerTally> all = new ArrayList<>(r.rows());
        if (r.demo() != null) {
            all.add(r.demo());
        }
        long sampled = all.stream().mapToLong(t -> t.sampled).sum();
        long differing = all.stream().mapToLong(t -> t.sampledDiffering).sum();
        long honestSampled = all.stream().filter(t -> t.cheat.isEmpty()).mapToLong(t -> t.sampled).sum();
        long outside = all.stream().mapToLong(t -> t.sampledOutside).sum();
        System.out.println();
        System.out.printf("peer checks: workers of an unproven class on %s (FARM_TEST_PERTURB_LAST_BIT=1, their own process), "
                + "peers of an equivalent class on %s (the same and GALLIUM_OVERRIDE_CPU_CAPS=sse4.1), the verifier's sample on %s "
                + "at PixelComparison.DEFAULT: %d of %d sampled pixels differ from the verifier's in some bit; of honest workers' "
                + "%d sampled pixels %d lie outside the tolerance (a path that took another turn); a sample that misses on at most "
                + "%d pixels is widened by 2k pixels and passes when no more miss, the peer then confirming those pixels bit for "
                + "bit%n", r.workerDevice(), r.peerDevice(), verifierDevice, differing, sampled, honestSampled, outside,
                ResultVerification.OUTLIERS_ACROSS_CLASSES);
        System.out.println();
        PeerTally.header();
        for (PeerTally t : all) {
            t.row(o.tile() * o.tile());
            if (t.forged()) {
                summary.forged(t.name, t.failed, t.tiles, t.expected(o.tile() * o.tile()));
            }
            summary.honest(t.falsePositives(), t.honestVerdicts());
            if (t.peer == BenchPeer.Behaviour.LYING || t.peer == BenchPeer.Behaviour.LAZY) {
                summary.dishonestPeer(t.peer.name().toLowerCase(Locale.ROOT) + " peer", t.dishonestCaught, t.dishonestTasks);
            }
        }
        System.out.println();
        System.out.printf("a tile passing the verifier's sample (k by the worker's reputation) opens a peer check of k pixels of the "
                + "tile with up to %d known answers from that sample and %d agreed pixels of other tiles of the frame (%s x %s px tiles, "
                + "%d spp, %d bounces; the %d rows render frames of one job in this order)%n", KNOWN_ANSWERS, KNOWN_ANSWERS, o.tile(),
                o.tile(), o.spp(), o.bounces(), r.rows().size());
        System.out.println("expected %: 1 - (1 - forged/pixels)^d, d = k draws of the verifier's sample, and k more of the peer "
                + "check unless the peer colludes (k = " + Reputation.NEW.sampledPixels() + " for a new worker)");
        System.out.println("by sample: tiles whose verifier's sample failed, before any peer check; other-tile answers: checks with agreed "
                + "pixels of other tiles among their known answers (none before a frame has an agreed check)");
        System.out.println("referees: disputes and failed samples a third peer of the class or the verifier settled; peers caught: "
                + "peers that missed a known answer or lost at the referee; its tasks caught: the row's lying, "
                + "lazy or colluding peer, caught in that share of the checks it answered (another peer then takes the check)");
        System.out.println("verify/render: (verifier's sample + peers' re-renders + referee's) over the worker's render compute");
        if (r.demo() != null) {
            System.out.printf("peer path at demo settings (64x64, 64 spp, 4 bounces, %d tiles, worker's k at the end %d): sample "
                    + "%.2f%% + peer %.2f%% = %.2f%% of render compute%n", r.demo().tiles,
                    r.demoK(), 100.0 * r.demo().sampleNanos / r.demo().renderNanos,
                    100.0 * r.demo().peerNanos / r.demo().renderNanos, r.demo().verifyPercent());
            summary.cost("spot check and peer check", r.demo().verifyPercent());
        }
    }

    BenchPeer peer(TileRenderer renderer, String id, BenchPeer.Behaviour behaviour) {
        WorkerIdentity identity = farm.register(id, Reputation.NEW);
        return new BenchPeer(identity, new TileProducer(renderer, identity), behaviour);
    }

    private TileProducer forger(TileRenderer renderer, Cheat c, String prefix) {
        WorkerIdentity id = farm.register(prefix + name(c), Reputation.NEW);
        return new TileProducer(renderer, id, Optional.of(c), null, new Random(c.ordinal()));
    }

    private static String name(Cheat c) {
        return c.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** One row: its tiles are attempt {@code attempt} of the peer-checked job's tiles; an honest worker's record grows. */
    private PeerTally row(VerifyBench.Options o, String name, TileProducer worker, Optional<Cheat> cheat, BenchPeer peer, int tiles,
                          int attempt) {
        PeerTally t = new PeerTally(name, cheat, peer.behaviour());
        int perRow = o.image() / o.tile();
        long start = System.nanoTime();
        for (int i = 0; i < tiles; i++) {
            tile(t, worker, peer, VerifyBench.task(farm, o, "peer", i, perRow, perRow * perRow, attempt), cheat.isEmpty());
            if ((i + 1) % 500 == 0 || i + 1 == tiles) {
                double sec = (System.nanoTime() - start) / 1e9;
                System.err.printf("  %s: tiles %d/%d, %d failed, %d peers caught, ETA %.0f s%n", name, i + 1, tiles, t.failed,
                        t.dishonestCaught + t.honestPeersCaught, (tiles - i - 1) * sec / (i + 1));
            }
        }
        return t;
    }

    /** One tile: the worker renders it, the verifier samples it, and a passed sample opens a peer check; whether it passed. */
    boolean tile(PeerTally t, TileProducer worker, BenchPeer peer, TileTask unclaimed, boolean record) {
        InProcessFarm.Round r = farm.round(worker, unclaimed, TileTask.PEER);
        t.tiles++;
        t.renderNanos += r.renderNanos();
        t.sampleNanos += r.verifyNanos();
        TileVerdict verdict = r.verdict();
        for (SampledPixel p : verdict.evidence()) {
            t.sampled++;
            t.sampledOutside += p.matched() || !t.cheat.isEmpty() ? 0 : 1;
            for (int c = 0; c < 3; c++) {
                if (Float.floatToIntBits(p.expected()[c]) != Float.floatToIntBits(p.got()[c])) {
                    t.sampledDiffering++;
                    break;
                }
            }
        }
        if (verdict.passed()) {
            TileTask task = r.produced().result().task();
            int k = farm.worker(worker.workerId()).orElseThrow().reputation().sampledPixels();
            if (!peerCheck(t, peer, task, Math.min(k, task.rect().pixelCount()), TileImage.decode(r.produced().tile()).rgb(), verdict)) {
                verdict = TileVerdict.fail(r.produced().result(), "the peer check failed the tile");
            }
        } else {
            t.failedBySample++;
        }
        t.failed += verdict.passed() ? 0 : 1;
        if (record) {
            farm.record(verdict);
        }
        return verdict.passed();
    }

    /** Whether the tile passes its peer check, followed to its end. */
    private boolean peerCheck(PeerTally t, BenchPeer first, TileTask task, int k, float[] tile, TileVerdict sample) {
        TileRect rect = task.rect();
        PeerCheckPixels pixels = PeerCheckPixels.ofTile(rect, tile, k, random)
                .withKnownAnswers(sample.evidence(), agreed.otherTiles(task.jobId(), task.frame(), rect), KNOWN_ANSWERS, random);
        boolean fromOtherTiles = false;
        for (boolean known : pixels.known()) {
            fromOtherTiles |= known;
        }
        PeerCheckAssignment check = assignment(task, pixels.xy());
        PosedFrames.Frame frame = PosedFrames.pose(task.sceneDigest(), scene, task.frame());
        for (BenchPeer peer : List.of(first, backup)) {
            t.checks++;
            t.checksWithOtherTiles += fromOtherTiles ? 1 : 0;
            long start = System.nanoTime();
            PeerCheckReport report = peer.report(check, frame, rect, tile);
            t.peerNanos += System.nanoTime() - start;
            if (!report.verify(peer.identity().keys().getPublic())) {
                throw new IllegalStateException(peer.identity().workerId() + " reported without its signature");
            }
            PeerCheckPixels.Judgement judgement = pixels.judge(report.rgb(), PixelComparison.DEFAULT);
            if (judgement.agreed()) {
                count(t, peer, false);
                agreed.add(task.jobId(), task.frame(), pixels);
                return true;
            }
            if (judgement.disputed()) {
                t.referees++;
                start = System.nanoTime();
                boolean workerRight = workerRight(pixels, check, frame, rect, tile, report.rgb());
                t.refereeNanos += System.nanoTime() - start;
                count(t, peer, workerRight);
                return workerRight;
            }
            count(t, peer, true); // a known answer missed: the peer is caught, another peer takes the check
        }
        t.referees++; // no peer answered: the trusted verifier decides
        long start = System.nanoTime();
        boolean workerRight = trustedVerifier(pixels, check, frame);
        t.refereeNanos += System.nanoTime() - start;
        return workerRight;
    }

    private PeerCheckAssignment assignment(TileTask task, int[] xy) {
        return new PeerCheckAssignment(++checkIds, task.sceneDigest(), task.sceneUrl(), task.rendererVersion(), task.imageWidth(),
                task.imageHeight(), task.frame(), task.spp(), task.maxBounces(), task.seed(), task.clampIndirect(), xy);
    }

    private static void count(PeerTally t, BenchPeer peer, boolean caught) {
        if (peer.honest()) {
            t.honestReports++;
            t.honestPeersCaught += caught ? 1 : 0;
        } else {
            t.dishonestTasks++;
            t.dishonestCaught += caught ? 1 : 0;
        }
    }

    /**
     * The referee: a third peer of the class re-renders the pixels; agreeing with the worker on every pixel of the tile it
     * clears the worker, agreeing with the first peer it fails the tile; otherwise the trusted verifier re-renders the tile's
     * pixels and the worker's values must match them within {@link PixelComparison#DEFAULT}.
     */
    private boolean workerRight(PeerCheckPixels pixels, PeerCheckAssignment check, PosedFrames.Frame frame, TileRect rect,
                                float[] tile, float[] firstPeer) {
        float[] third = referee.report(check, frame, rect, tile).rgb();
        if (pixels.judge(third, PixelComparison.DEFAULT).wrongKnown() == 0) {
            if (pixels.sameOnTile(third, pixels.expected())) {
                return true;
            }
            if (pixels.sameOnTile(third, firstPeer)) {
                return false;
            }
        }
        return trustedVerifier(pixels, check, frame);
    }

    /** The trusted verifier re-renders the tile's pixels of the check: the worker's values must match within tolerance. */
    private boolean trustedVerifier(PeerCheckPixels pixels, PeerCheckAssignment check, PosedFrames.Frame frame) {
        int n = 0;
        for (boolean known : pixels.known()) {
            n += known ? 0 : 1;
        }
        int[] xy = new int[n * 2];
        float[] worker = new float[n * 3];
        for (int i = 0, j = 0; i < pixels.size(); i++) {
            if (!pixels.known()[i]) {
                System.arraycopy(pixels.xy(), 2 * i, xy, 2 * j, 2);
                System.arraycopy(pixels.expected(), 3 * i, worker, 3 * j++, 3);
            }
        }
        float[] trusted = verifier.renderPixels(frame.scene(), frame.geometryKey(), new FrameRequest(check.imageWidth(),
                check.imageHeight(), check.frame(), check.spp(), check.maxBounces(), check.seed(), check.clampIndirect()), xy);
        for (int j = 0; j < n; j++) {
            if (!PixelComparison.DEFAULT.matches(trusted, 3 * j, worker, 3 * j)) {
                return false;
            }
        }
        return true;
    }
}
