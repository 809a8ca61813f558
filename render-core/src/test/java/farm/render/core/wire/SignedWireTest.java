package farm.render.core.wire;

import farm.render.core.identity.Ed25519;
import farm.render.core.planning.TileRect;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;

class SignedWireTest {
    static final KeyPair COORDINATOR = Ed25519.generate();
    static final KeyPair WORKER = Ed25519.generate();

    static TileTask task(int tile, long seed) {
        return new TileTask(TileTask.taskId("j", 0, tile, 1), "j", 0, tile, 1, new TileRect(0, 0, 8, 8), 64, 64, 4, 2, seed,
                "d", RendererVersion.CURRENT, "s", "u", "g", Tier.STANDARD, null).signedBy(COORDINATOR.getPrivate());
    }

    @Test
    void aTaskSignatureCoversItsSeedsAndUrls() {
        TileTask t = task(1, 7);
        assertThat(t.signatureValid(COORDINATOR.getPublic())).isTrue();
        TileTask cheaper = new TileTask(t.taskId(), t.jobId(), t.frame(), t.tile(), t.attempt(), t.rect(), t.imageWidth(),
                t.imageHeight(), 1, t.maxBounces(), t.seed(), t.sceneDigest(), t.rendererVersion(), t.sceneUrl(),
                t.tileUploadUrl(), t.tileDownloadUrl(), t.tier(), t.coordinatorSignature());
        assertThat(cheaper.signatureValid(COORDINATOR.getPublic())).isFalse();
        assertThat(t.signatureValid(WORKER.getPublic())).isFalse();
    }

    @Test
    void aRadianceClampIsSignedAndTasksWithoutOneKeepTheirSignedBytes() {
        TileTask plain = task(3, 5);
        TileTask unsigned = new TileTask(plain.taskId(), plain.jobId(), plain.frame(), plain.tile(), plain.attempt(),
                plain.rect(), plain.imageWidth(), plain.imageHeight(), plain.spp(), plain.maxBounces(), plain.seed(),
                plain.sceneDigest(), plain.rendererVersion(), plain.sceneUrl(), plain.tileUploadUrl(),
                plain.tileDownloadUrl(), plain.tier(), null);
        assertThat(unsigned.withClampIndirect(0f).signedBytes()).isEqualTo(unsigned.signedBytes());
        TileTask clamped = unsigned.withClampIndirect(10f).signedBy(COORDINATOR.getPrivate());
        assertThat(clamped.signatureValid(COORDINATOR.getPublic())).isTrue();
        assertThat(WireJson.decode(WireJson.encode(clamped), TileTask.class).clampIndirect()).isEqualTo(10f);
        // A worker cannot lift the clamp (or change it) under the coordinator's signature.
        TileTask lifted = new TileTask(clamped.taskId(), clamped.jobId(), clamped.frame(), clamped.tile(), clamped.attempt(),
                clamped.rect(), clamped.imageWidth(), clamped.imageHeight(), clamped.spp(), clamped.maxBounces(),
                clamped.seed(), clamped.sceneDigest(), clamped.rendererVersion(), clamped.sceneUrl(), clamped.tileUploadUrl(),
                clamped.tileDownloadUrl(), clamped.tier(), clamped.coordinatorSignature());
        assertThat(lifted.signatureValid(COORDINATOR.getPublic())).isFalse();
    }

    @Test
    void theClaimantIsSignedSoATaskCannotBeHandedToAnotherWorker() {
        TileTask claimed = task(4, 3).forWorker("gpu-a").signedBy(COORDINATOR.getPrivate());
        assertThat(claimed.signatureValid(COORDINATOR.getPublic())).isTrue();
        assertThat(claimed.forWorker("gpu-b").signatureValid(COORDINATOR.getPublic())).isFalse();
        assertThat(claimed.forWorker(null).signatureValid(COORDINATOR.getPublic())).isFalse();
        assertThat(WireJson.decode(WireJson.encode(claimed), TileTask.class).workerId()).isEqualTo("gpu-a");
    }

    @Test
    void aTicketCarriesNoUrlAndNoSeed() {
        String json = new String(WireJson.encode(TileTicket.of("j", 0, 1, 2, Tier.ECONOMY, new TileRect(0, 0, 8, 8), "d")),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("http").doesNotContain("seed").doesNotContain("Url").contains("\"attempt\":2");
    }

    @Test
    void aTaskSurvivesJsonWithItsSignature() {
        TileTask t = task(2, 9);
        assertThat(WireJson.decode(WireJson.encode(t), TileTask.class).signatureValid(COORDINATOR.getPublic())).isTrue();
    }

    @Test
    void aResultSignatureDoesNotCarryOverToAnotherTask() {
        TileResult r = TileResult.signed(task(1, 7), "w1", 5, "ab".repeat(32), WORKER.getPrivate());
        assertThat(r.signatureValid(WORKER.getPublic())).isTrue();
        TileResult replayed = new TileResult(task(2, 7), r.workerId(), r.renderMillis(), r.tileSha256(), r.signature());
        assertThat(replayed.signatureValid(WORKER.getPublic())).isFalse();
        TileResult otherWorker = new TileResult(r.task(), "w2", r.renderMillis(), r.tileSha256(), r.signature());
        assertThat(otherWorker.signatureValid(WORKER.getPublic())).isFalse();
    }
}
