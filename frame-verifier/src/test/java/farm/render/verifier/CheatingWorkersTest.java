package farm.render.verifier;

import farm.render.core.image.PixelComparison;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.core.wire.Reputation;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.verifier.bench.InProcessFarm;
import farm.render.worker.daemon.Cheat;
import farm.render.worker.daemon.TileProducer;
import farm.render.worker.daemon.WorkerIdentity;
import farm.render.worker.render.VulkanRenderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way a worker might cheat, through the real renderer and the real verification path (task and
 * result signatures, reputation-driven k, pixel spot check); small tiles keep it fast. The verifier's
 * randomness is seeded so each run draws the same pixels.
 */
class CheatingWorkersTest {
    static final int IMAGE = 64;
    static final TileRect[] TILES = {new TileRect(0, 0, 16, 16), new TileRect(16, 16, 16, 16), new TileRect(32, 16, 16, 16),
            new TileRect(16, 32, 16, 16), new TileRect(48, 48, 16, 16), new TileRect(32, 40, 16, 16)};
    static VulkanRenderer renderer;
    static Scene scene;
    static final AtomicInteger JOBS = new AtomicInteger();

    InProcessFarm farm = new InProcessFarm(scene, "cornell", new SpotCheck(renderer, 0, PixelComparison.DEFAULT, new Random(42)));

    @BeforeAll
    static void open() throws Exception {
        System.setProperty(Cheat.SWITCH, "true");
        renderer = VulkanRenderer.open();
        scene = SceneImporter.importScene(Files.readAllBytes(Path.of("../samples/cornell-box/cornell-box.gltf")), "gltf");
    }

    @AfterAll
    static void close() {
        renderer.close();
        System.clearProperty(Cheat.SWITCH);
    }

    private TileTask task(int i) {
        return farm.task("job" + JOBS.get(), 0, i, 1, TILES[i % TILES.length], IMAGE, IMAGE, 4, 2, 777L);
    }

    private TileProducer worker(WorkerIdentity id, Cheat cheat, WorkerIdentity other) {
        return new TileProducer(renderer, id, Optional.ofNullable(cheat), other == null ? null : other.keys(), new Random(7));
    }

    @Test
    void anHonestWorkerPassesEveryTileAtEveryStanding() {
        JOBS.incrementAndGet();
        WorkerIdentity honest = farm.register("honest", Reputation.NEW);
        TileProducer w = worker(honest, null, null);
        for (int i = 0; i < TILES.length; i++) {
            TileVerdict v = farm.round(w, task(i)).verdict();
            assertThat(v.passed()).as("tile %d: %s", i, v.reason()).isTrue();
            assertThat(v.pixelsChecked()).isEqualTo(128);
        }
        farm.setReputation("honest", new Reputation(500, 0));
        assertThat(farm.round(w, task(0)).verdict().pixelsChecked()).isEqualTo(32);
        farm.setReputation("honest", new Reputation(500, 1));
        TileVerdict suspect = farm.round(w, task(1)).verdict();
        assertThat(suspect.passed()).isTrue();
        assertThat(suspect.pixelsChecked()).isEqualTo(192);
    }

    @ParameterizedTest
    @EnumSource(value = Cheat.class, names = {"RANDOM", "FEWER_SAMPLES", "COPY_TILE", "COPY_FRAME", "BLACK", "CONSTANT",
            "FORGE_5_PERCENT", "FORGE_25_PERCENT"})
    void aCheatOnEveryTileIsCaughtOnEveryTile(Cheat cheat) {
        JOBS.incrementAndGet();
        TileProducer w = worker(farm.register("cheat", Reputation.NEW), cheat, null);
        for (int i = 0; i < TILES.length; i++) {
            TileVerdict v = farm.round(w, task(i)).verdict();
            assertThat(v.passed()).as("%s tile %d", cheat, i).isFalse();
            assertThat(v.attributable()).isTrue();
            assertThat(v.reason()).contains("differ from the re-render");
            assertThat(v.evidence()).anySatisfy(p -> assertThat(p.matched()).isFalse());
        }
    }

    @Test
    void forgingOnePercentIsCaughtWithinAFewTilesAndThenSampledHarder() {
        JOBS.incrementAndGet();
        TileProducer w = worker(farm.register("subtle", Reputation.NEW), Cheat.FORGE_1_PERCENT, null);
        int tiles = 0;
        TileVerdict v;
        do {
            v = farm.round(w, task(tiles++)).verdict();
        } while (v.passed() && tiles < 20);
        assertThat(v.passed()).as("caught within 20 tiles (escape chance about 0.3^20)").isFalse();
        assertThat(v.pixelsMismatched()).isPositive();
        // the coordinator records the failure: the worker is now suspect and every tile gets 192 samples
        farm.setReputation("subtle", new Reputation(tiles, 1));
        assertThat(farm.round(w, task(tiles)).verdict().pixelsChecked()).isEqualTo(192);
    }

    @Test
    void anEarlierValidResultReplayedForAnotherTaskIsRejected() {
        JOBS.incrementAndGet();
        TileProducer w = worker(farm.register("replayer", Reputation.NEW), Cheat.REPLAY, null);
        assertThat(farm.round(w, task(0)).verdict().passed()).isTrue();
        TileVerdict replayed = farm.round(w, task(1)).verdict();
        assertThat(replayed.passed()).isFalse();
        assertThat(replayed.attributable()).isFalse();
        assertThat(replayed.reason()).contains("signature does not verify");
    }

    @Test
    void aResultSignedWithAnotherWorkersKeyIsRejected() {
        JOBS.incrementAndGet();
        WorkerIdentity other = farm.register("victim", Reputation.NEW);
        TileProducer w = worker(farm.register("impostor", Reputation.NEW), Cheat.FOREIGN_KEY, other);
        TileVerdict v = farm.round(w, task(0)).verdict();
        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).contains("signature does not verify");
        // and a result claiming to be the victim's, signed by the impostor, is not pinned on the victim
        TileProducer honestImpostor = worker(farm.register("impostor2", Reputation.NEW), null, null);
        TileResult own = honestImpostor.produce(farm.claim(task(1), "impostor2"), scene).result();
        TileVerdict framed = farm.verify(new TileResult(own.task(), "victim", own.renderMillis(), own.tileSha256(), own.signature()));
        assertThat(framed.passed()).isFalse();
        assertThat(framed.attributable()).isFalse();
    }

    @Test
    void unsignedResultsForgedTasksAndUnknownWorkersAreRejected() {
        JOBS.incrementAndGet();
        TileProducer w = worker(farm.register("w", Reputation.NEW), null, null);
        TileTask claimed = farm.claim(task(0), "w");
        TileProducer.Produced p = w.produce(claimed, scene);
        farm.upload(claimed, p.tile());
        TileResult r = p.result();
        assertThat(farm.verify(new TileResult(r.task(), r.workerId(), 1, r.tileSha256(), null)).reason()).isEqualTo("unsigned result");
        TileTask t = r.task();
        TileTask cheaper = new TileTask(t.taskId(), t.jobId(), t.frame(), t.tile(), t.attempt(), t.rect(), t.imageWidth(),
                t.imageHeight(), 1, t.maxBounces(), t.seed(), t.sceneDigest(), t.rendererVersion(), t.sceneUrl(),
                t.tileUploadUrl(), t.tileDownloadUrl(), t.tier(), t.coordinatorSignature());
        assertThat(farm.verify(new TileResult(cheaper, r.workerId(), 1, r.tileSha256(), r.signature())).reason()).contains("forged");
        assertThat(farm.verify(new TileResult(r.task(), "nobody", 1, r.tileSha256(), r.signature())).reason())
                .contains("does not hold the claim");
        // a task no worker claimed (as read off a topic, or built by the worker itself) is nobody's to render
        TileProducer.Produced unclaimed = w.produce(task(1), scene);
        assertThat(farm.verify(unclaimed.result()).reason()).contains("never claimed");
        TileTask forOther = farm.claim(task(2), "someone-else");
        assertThat(farm.verify(w.produce(forOther, scene).result()).reason()).contains("does not hold the claim");
        assertThat(farm.verify(r).passed()).isTrue();
    }

    @Test
    void cheatsAreOnlyAvailableBehindTheTestSwitch() {
        System.clearProperty(Cheat.SWITCH);
        try {
            assertThatThrownBy(() -> Cheat.parse("black")).hasMessageContaining("test-only");
        } finally {
            System.setProperty(Cheat.SWITCH, "true");
        }
        assertThat(Cheat.parse("forge-5-percent")).isEqualTo(Cheat.FORGE_5_PERCENT);
    }

    @Test
    void aResultPublishedInAnotherWorkersNameIsDroppedWithoutAVerdict() {
        JOBS.incrementAndGet();
        farm.register("bystander", Reputation.NEW);
        TileProducer impostor = worker(farm.register("impostor3", Reputation.NEW), null, null);
        TileResult own = farm.round(impostor, task(0)).produced().result(); // rendered honestly and uploaded
        // the impostor's honest work, claimed as the bystander's: no verdict at all, so the coordinator neither
        // requeues the tile (the worker holding the task still answers for it) nor records anything against the bystander
        TileResult framed = new TileResult(own.task(), "bystander", own.renderMillis(), own.tileSha256(), own.signature());
        assertThat(farm.judge(framed)).isInstanceOfSatisfying(ResultVerification.Judgement.Dropped.class,
                d -> assertThat(d.reason()).contains("bystander does not hold the claim"));
        // the same result under its maker's own name is judged as usual
        assertThat(farm.judge(own)).isInstanceOfSatisfying(ResultVerification.Judgement.Judged.class,
                j -> assertThat(j.verdict().passed()).isTrue());
    }
}
