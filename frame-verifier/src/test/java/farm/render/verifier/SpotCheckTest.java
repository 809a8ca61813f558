package farm.render.verifier;

import farm.render.core.digest.Digests;
import farm.render.core.image.PixelComparison;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.core.wire.RendererVersion;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.Tier;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.VulkanRenderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SpotCheckTest {
    static VulkanRenderer renderer;
    static Scene scene;
    static final TileRect RECT = new TileRect(16, 16, 16, 16);
    static final TileTask TASK = new TileTask("job/0/5/1", "job", 0, 5, 1, RECT, 64, 64, 4, 4, 99L, "digest",
            RendererVersion.CURRENT, "http://unused", "http://unused", "http://unused", Tier.STANDARD, null);
    static TileImage honest;

    @BeforeAll
    static void render() throws Exception {
        renderer = VulkanRenderer.open();
        scene = SceneImporter.importScene(Files.readAllBytes(Path.of("../samples/cornell-box/cornell-box.gltf")), "gltf");
        honest = renderer.renderTile(scene, "digest", new FrameRequest(64, 64, 0, 4, 4, 99L), RECT);
    }

    @AfterAll
    static void close() {
        renderer.close();
    }

    private static TileVerdict judge(TileImage tile, int pixels, long seed) {
        byte[] bytes = tile.encode();
        TileResult result = new TileResult(TASK, "w1", 10, Digests.sha256Hex(bytes), "unused");
        return new SpotCheck(renderer, 0, PixelComparison.DEFAULT, new Random(seed)).judge(result, bytes, scene, pixels);
    }

    @Test
    void anHonestTilePassesWithItsEvidence() {
        TileVerdict verdict = judge(honest, 32, 1);
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.pixelsChecked()).isEqualTo(32);
        assertThat(verdict.pixelsMismatched()).isZero();
        assertThat(verdict.evidence()).hasSize(32).allSatisfy(p -> {
            assertThat(p.matched()).isTrue();
            assertThat(p.x()).isBetween(16, 31);
            assertThat(p.got()).containsExactly(honest.rgb()[((p.y() - 16) * 16 + p.x() - 16) * 3],
                    honest.rgb()[((p.y() - 16) * 16 + p.x() - 16) * 3 + 1], honest.rgb()[((p.y() - 16) * 16 + p.x() - 16) * 3 + 2]);
            assertThat(p.expected()).containsExactly(p.got());
        });
    }

    @Test
    void aTileWithHalfItsPixelsForgedFails() {
        float[] forged = honest.rgb().clone();
        for (int p = 0; p < RECT.pixelCount(); p += 2) {
            forged[p * 3] += 0.25f;
        }
        TileVerdict verdict = judge(new TileImage(RECT.width(), RECT.height(), forged), 32, 2);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.attributable()).isTrue();
        assertThat(verdict.reason()).contains("differ from the re-render");
        assertThat(verdict.evidence()).anySatisfy(p -> assertThat(p.matched()).isFalse());
    }

    @Test
    void aTileRenderedWithOtherSeedsFails() {
        TileImage cheap = renderer.renderTile(scene, "digest", new FrameRequest(64, 64, 0, 4, 4, 12345L), RECT);
        assertThat(judge(cheap, 16, 3).passed()).isFalse();
    }

    @Test
    void bytesThatDoNotMatchTheReportedDigestFail() {
        byte[] bytes = honest.encode();
        TileResult result = new TileResult(TASK, "w1", 10, Digests.sha256Hex(new byte[]{1}), "unused");
        TileVerdict verdict = SpotCheck.standard(renderer, 0).judge(result, bytes, scene, 8);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).contains("digest");
    }

    @Test
    void aTileOfTheWrongSizeFails() {
        TileImage small = new TileImage(8, 8, new float[8 * 8 * 3]);
        assertThat(judge(small, 8, 4).reason()).contains("the task asked for 16x16");
    }

    @Test
    void lavapipeRendersTheSameTileBitForBitTwice() {
        TileImage again = renderer.renderTile(scene, "digest", new FrameRequest(64, 64, 0, 4, 4, 99L), RECT);
        assertThat(again.rgb()).containsExactly(honest.rgb());
    }
}
