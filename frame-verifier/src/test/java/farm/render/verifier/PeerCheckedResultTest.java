package farm.render.verifier;

import farm.render.core.identity.Ed25519;
import farm.render.core.image.PixelComparison;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.core.wire.Reputation;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.verifier.trust.RegisteredWorker;
import farm.render.verifier.trust.WorkerDirectory;
import farm.render.worker.daemon.Cheat;
import farm.render.worker.daemon.TileProducer;
import farm.render.worker.daemon.WorkerIdentity;
import farm.render.worker.render.VulkanRenderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result whose signed task names a peer as checker is still sampled by the trusted verifier: its failure is final, its
 * pass only half of the check (the coordinator waits for the peer), so a worker and peer that collude pass no tile the
 * verifier's sample catches.
 */
class PeerCheckedResultTest {
    final KeyPair coordinator = Ed25519.generate();
    final WorkerIdentity worker = new WorkerIdentity("w", Ed25519.generate());
    final Map<String, byte[]> tiles = new HashMap<>();
    VulkanRenderer renderer;
    Scene scene;

    @BeforeAll
    static void open() throws Exception {
        CheatingWorkersTest.open(); // the same renderer, scene and cheat switch
    }

    @AfterAll
    static void close() {
        CheatingWorkersTest.close();
    }

    @BeforeEach
    void fixture() {
        renderer = CheatingWorkersTest.renderer;
        scene = CheatingWorkersTest.scene;
    }

    @Test
    void aPeerCheckedTileIsSampledItsPassAwaitsThePeerAndItsFailureIsFinal() throws Exception {
        TileTask task = SpotCheckTest.TASK.forWorker("w").withCheckedBy(TileTask.PEER).signedBy(coordinator.getPrivate());
        assertThat(task.withCheckedBy(null).signatureValid(coordinator.getPublic())).as("the checker is signed").isFalse();

        TileVerdict honest = judge(new TileProducer(renderer, worker), task);
        assertThat(honest.passed()).isTrue();
        assertThat(honest.awaitsPeer()).as("a pass of a peer-checked tile waits for the peer").isTrue();
        assertThat(honest.pixelsChecked()).isEqualTo(Reputation.NEW.sampledPixels());

        TileVerdict forged = judge(new TileProducer(renderer, worker, Optional.of(Cheat.FORGE_25_PERCENT), null, new Random(3)), task);
        assertThat(forged.passed()).isFalse();
        assertThat(forged.attributable()).isTrue();
        assertThat(forged.awaitsPeer()).as("a failed sample is final").isFalse();

        TileTask plain = SpotCheckTest.TASK.forWorker("w").signedBy(coordinator.getPrivate());
        TileVerdict ordinary = judge(new TileProducer(renderer, worker), plain);
        assertThat(ordinary.passed()).isTrue();
        assertThat(ordinary.awaitsPeer()).as("a task the verifier checks alone is final").isFalse();
    }

    @Test
    void aSampleOfAPeerCheckedTileThatMissesOnMorePixelsThanDifferingArithmeticExplainsFailsTheWorkerAtOnce() throws Exception {
        TileProducer constant = new TileProducer(renderer, worker, Optional.of(Cheat.CONSTANT), null, new Random(3));
        TileVerdict forged = judge(constant, narrow(ResultVerification.OUTLIERS_ACROSS_CLASSES + 1, TileTask.PEER));
        assertThat(forged.passed()).isFalse();
        assertThat(forged.attributable()).isTrue();
        assertThat(forged.pixelsMismatched()).as("every pixel of the narrow tile, and no wider sample after a clear miss")
                .isEqualTo(ResultVerification.OUTLIERS_ACROSS_CLASSES + 1).isEqualTo(forged.pixelsChecked());
    }

    /** A task for a tile one row high and {@code width} pixels wide, so that k covers every pixel. */
    private TileTask narrow(int width, String checkedBy) {
        TileTask t = SpotCheckTest.TASK;
        return new TileTask(t.taskId() + "-" + width, t.jobId(), t.frame(), t.tile(), t.attempt(), new TileRect(8, 8, width, 1),
                t.imageWidth(), t.imageHeight(), t.spp(), t.maxBounces(), t.seed(), t.sceneDigest(), t.rendererVersion(),
                t.sceneUrl(), t.tileUploadUrl(), t.tileDownloadUrl(), t.tier(), null)
                .forWorker("w").withCheckedBy(checkedBy).signedBy(coordinator.getPrivate());
    }

    private TileVerdict judge(TileProducer producer, TileTask task) throws Exception {
        TileProducer.Produced produced = producer.produce(task, scene);
        tiles.put(task.taskId(), produced.tile());
        WorkerDirectory directory = new WorkerDirectory() {
            @Override
            public PublicKey coordinatorKey() {
                return coordinator.getPublic();
            }

            @Override
            public Optional<RegisteredWorker> worker(String id) {
                return Optional.of(new RegisteredWorker(id, worker.keys().getPublic(), Reputation.NEW));
            }
        };
        ResultVerification verification = new ResultVerification(directory,
                new SpotCheck(renderer, 0, PixelComparison.DEFAULT, new Random(5)));
        ResultVerification.TileSource source = new ResultVerification.TileSource() {
            @Override
            public Scene scene(TileTask t) {
                return scene;
            }

            @Override
            public byte[] tile(TileTask t) {
                return tiles.get(t.taskId());
            }
        };
        return ((ResultVerification.Judgement.Judged) verification.judge(produced.result(), source)).verdict();
    }
}
