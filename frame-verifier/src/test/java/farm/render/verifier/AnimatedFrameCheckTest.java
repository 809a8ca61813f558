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

/** The moving-sphere sample's frames 1 and 25: the ball rolls from the left (x = -0.8 m) to the right (x = 0.8 m). */
class AnimatedFrameCheckTest {
    static final int SIZE = 64;
    static final int LAST = 25;
    /** Where the ball is at frame 25 (and is not at frame 1). */
    static final TileRect BALL_AT_END = new TileRect(48, 40, 16, 16);
    static VulkanRenderer renderer;
    static Scene scene;

    @BeforeAll
    static void open() throws Exception {
        renderer = VulkanRenderer.open();
        scene = SceneImporter.importScene(Files.readAllBytes(Path.of("../samples/moving-sphere/moving-sphere.gltf")), "gltf");
    }

    @AfterAll
    static void close() {
        renderer.close();
    }

    private static FrameRequest request(int frame, int bounces) {
        return new FrameRequest(SIZE, SIZE, frame, 8, bounces, 7L);
    }

    /** Frame {@code pose}'s geometry rendered with the random numbers of frame {@code seeds}. */
    private static TileImage render(int pose, int seeds, int bounces, TileRect rect) {
        return renderer.renderTile(scene.posed(pose), scene.geometryKey("digest", pose), request(seeds, bounces), rect);
    }

    @Test
    void framesOneAndNDifferWhereTheBallMovedAndAgreeWhereNothingChanged() {
        // Same random numbers, direct light only.
        TileRect full = new TileRect(0, 0, SIZE, SIZE);
        float[] first = render(1, 1, 1, full).rgb();
        float[] last = render(LAST, 1, 1, full).rgb();
        // Where the ball arrived the frame turns orange (red well above blue); at frame 1 the floor and box were there.
        double[] orange = new double[2];
        for (int y = BALL_AT_END.y(); y < BALL_AT_END.y() + BALL_AT_END.height(); y++) {
            for (int x = BALL_AT_END.x(); x < BALL_AT_END.x() + BALL_AT_END.width(); x++) {
                int i = (y * SIZE + x) * 3;
                orange[0] += first[i] - first[i + 2];
                orange[1] += last[i] - last[i + 2];
            }
        }
        assertThat(orange[1] / BALL_AT_END.pixelCount()).isGreaterThan(orange[0] / BALL_AT_END.pixelCount() + 0.05);
        // The upper wall, far from both objects and their shadows, looks the same: its mean agrees within the
        // noise. (Pixels are not equal one by one: which light triangle a sample picks follows each frame's hierarchy order.)
        double[] mean = new double[2];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < SIZE; x++) {
                int i = (y * SIZE + x) * 3;
                mean[0] += first[i] + first[i + 1] + first[i + 2];
                mean[1] += last[i] + last[i + 1] + last[i + 2];
            }
        }
        assertThat(mean[1]).isCloseTo(mean[0], org.assertj.core.api.Assertions.withinPercentage(2));
    }

    private static TileVerdict judge(TileImage tile) {
        TileTask task = new TileTask("job/25/0/1", "job", LAST, 0, 1, BALL_AT_END, SIZE, SIZE, 8, 4, 7L, "digest",
                RendererVersion.CURRENT, "http://unused", "http://unused", "http://unused", Tier.STANDARD, null);
        byte[] bytes = tile.encode();
        TileResult result = new TileResult(task, "w1", 10, Digests.sha256Hex(bytes), "unused");
        return new SpotCheck(renderer, 0, PixelComparison.DEFAULT, new Random(5)).judge(result, bytes, scene, 48);
    }

    @Test
    void theVerifierAcceptsAnHonestTileOfFrameN() {
        assertThat(judge(render(LAST, LAST, 4, BALL_AT_END)).passed()).isTrue();
    }

    @Test
    void theVerifierCatchesFrameOnesPoseSubmittedAsFrameN() {
        TileVerdict verdict = judge(render(1, LAST, 4, BALL_AT_END));
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.reason()).contains("differ from the re-render");
    }
}
