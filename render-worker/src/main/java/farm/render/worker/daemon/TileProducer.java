package farm.render.worker.daemon;

import farm.render.core.digest.Digests;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.PosedFrames;
import farm.render.core.scene.Scene;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import farm.render.core.wire.ProbeAssignment;
import farm.render.core.wire.ProbeReport;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.worker.classes.ProbeRenderer;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.TileRenderer;

import java.io.IOException;
import java.security.KeyPair;
import java.util.Optional;
import java.util.Random;

/**
 * Turns a task into the tile bytes to upload and the signed result to publish: honestly, or, when a
 * test switched a {@link Cheat} on, the way that cheat would. One thread at a time.
 */
public final class TileProducer {
    /** The upload and the claim about it. */
    public record Produced(byte[] tile, TileResult result, long renderNanos) {
    }

    private final TileRenderer renderer;
    private final WorkerIdentity identity;
    private final Optional<Cheat> cheat;
    private final KeyPair foreignKeys;
    private final Random random;
    private Produced previous;
    private ProbeRenderer probes;

    public TileProducer(TileRenderer renderer, WorkerIdentity identity) {
        this(renderer, identity, Optional.empty(), null, new Random());
    }

    /** @param foreignKeys another worker's keys, used by {@link Cheat#FOREIGN_KEY} */
    public TileProducer(TileRenderer renderer, WorkerIdentity identity, Optional<Cheat> cheat, KeyPair foreignKeys, Random random) {
        this.renderer = renderer;
        this.identity = identity;
        this.cheat = cheat;
        this.foreignKeys = foreignKeys;
        this.random = random;
    }

    /** The worker this producer renders for. */
    public String workerId() {
        return identity.workerId();
    }

    /** Renders the probe tiles a claim assigned in place of a ticket and signs their digests. */
    public ProbeReport probes(ProbeAssignment assignment) throws IOException, InvalidSceneException {
        if (probes == null) {
            probes = new ProbeRenderer(renderer, ProbeRenderer.samplesFolder());
        }
        return new ProbeReport(identity.workerId(), assignment.classId(), probes.digests(assignment.count()), null)
                .signed(identity.keys().getPrivate());
    }

    /**
     * Re-renders the pixels of a peer check with the checked task's seeds and signs them; a worker started with the
     * test-only {@link LyingPeer} switch reports pixels it did not render.
     *
     * @param frame the check's frame of its scene, posed
     */
    public PeerCheckReport peerCheck(PeerCheckAssignment check, PosedFrames.Frame frame) {
        FrameRequest request = new FrameRequest(check.imageWidth(), check.imageHeight(), check.frame(), check.spp(),
                check.maxBounces(), check.seed(), check.clampIndirect());
        float[] rgb = LyingPeer.on() ? LyingPeer.made(check.pixelCount())
                : renderer.renderPixels(frame.scene(), frame.geometryKey(), request, check.xy());
        return new PeerCheckReport(check.checkId(), identity.workerId(), rgb, null).signed(identity.keys().getPrivate());
    }

    /** As {@link #produce(TileTask, PosedFrames.Frame)}, posing the task's frame of {@code scene} first. */
    public Produced produce(TileTask task, Scene scene) {
        return produce(task, PosedFrames.pose(task.sceneDigest(), scene, task.frame()));
    }

    /** @param frame the task's frame of its scene, posed */
    public Produced produce(TileTask task, PosedFrames.Frame frame) {
        Scene scene = frame.scene();
        String key = frame.geometryKey();
        long start = System.nanoTime();
        if (cheat.orElse(null) == Cheat.REPLAY && previous != null) {
            Produced old = previous;
            TileResult replayed = new TileResult(task, identity.workerId(), old.result().renderMillis(),
                    old.result().tileSha256(), old.result().signature());
            return new Produced(old.tile(), replayed, System.nanoTime() - start);
        }
        TileImage image = cheat.isEmpty() ? honest(task, scene, key) : forged(cheat.get(), task, scene, key);
        byte[] bytes = image.encode();
        long nanos = System.nanoTime() - start;
        KeyPair signer = cheat.orElse(null) == Cheat.FOREIGN_KEY ? foreignKeys : identity.keys();
        TileResult result = TileResult.signed(task, identity.workerId(), nanos / 1_000_000, Digests.sha256Hex(bytes), signer.getPrivate());
        Produced produced = new Produced(bytes, result, nanos);
        previous = produced;
        return produced;
    }

    private TileImage honest(TileTask task, Scene scene, String key) {
        return renderer.renderTile(scene, key, request(task, task.frame(), task.spp()), task.rect());
    }

    private static FrameRequest request(TileTask task, int frame, int spp) {
        return new FrameRequest(task.imageWidth(), task.imageHeight(), frame, spp, task.maxBounces(), task.seed(),
                task.clampIndirect());
    }

    private TileImage forged(Cheat c, TileTask task, Scene scene, String key) {
        TileRect r = task.rect();
        float[] rgb = new float[r.pixelCount() * 3];
        switch (c) {
            case RANDOM -> {
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] = random.nextFloat();
                }
            }
            case BLACK -> {
                // all zero already
            }
            case CONSTANT -> java.util.Arrays.fill(rgb, 0.18f);
            case FEWER_SAMPLES -> rgb = renderer.renderTile(scene, key,
                    request(task, task.frame(), Math.max(1, task.spp() / 2)), r).rgb();
            case COPY_FRAME -> rgb = renderer.renderTile(scene, key, request(task, task.frame() + 1, task.spp()), r).rgb();
            case COPY_TILE -> rgb = renderer.renderTile(scene, key, request(task, task.frame(), task.spp()),
                    neighbour(r, task.imageWidth(), task.imageHeight())).rgb();
            case FORGE_1_PERCENT, FORGE_5_PERCENT, FORGE_25_PERCENT -> {
                rgb = honest(task, scene, key).rgb().clone();
                int n = r.pixelCount();
                int forged = Math.max(1, (int) Math.round(n * c.forgedFraction()));
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                for (int i = 0; i < forged; i++) { // partial Fisher-Yates: `forged` distinct pixels
                    int j = i + random.nextInt(n - i);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                    for (int ch = 0; ch < 3; ch++) {
                        rgb[order[i] * 3 + ch] = rgb[order[i] * 3 + ch] * 1.25f + 0.02f;
                    }
                }
            }
            case REPLAY, FOREIGN_KEY -> rgb = honest(task, scene, key).rgb();
        }
        return new TileImage(r.width(), r.height(), rgb);
    }

    /** A different tile of the same size inside the image: right, left, below or above; the same one if none fits. */
    static TileRect neighbour(TileRect r, int imageWidth, int imageHeight) {
        if (r.x() + 2 * r.width() <= imageWidth) {
            return new TileRect(r.x() + r.width(), r.y(), r.width(), r.height());
        }
        if (r.x() - r.width() >= 0) {
            return new TileRect(r.x() - r.width(), r.y(), r.width(), r.height());
        }
        if (r.y() + 2 * r.height() <= imageHeight) {
            return new TileRect(r.x(), r.y() + r.height(), r.width(), r.height());
        }
        if (r.y() - r.height() >= 0) {
            return new TileRect(r.x(), r.y() - r.height(), r.width(), r.height());
        }
        return r;
    }
}
