package farm.render.worker.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.worker.cli.BenchScenes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs on whatever Vulkan device the machine has; lavapipe (CPU) is enough. Images stay tiny. */
class VulkanRendererTest {
    private static final int SIZE = 32;
    private static VulkanRenderer renderer;

    @BeforeAll
    static void open() {
        renderer = VulkanRenderer.open();
    }

    @AfterAll
    static void close() {
        if (renderer != null) {
            renderer.close();
        }
    }

    private static FrameRequest request(int spp, int bounces) {
        return new FrameRequest(SIZE, SIZE, 0, spp, bounces, 1L);
    }

    private static TileImage full(Scene scene, String key, FrameRequest request) {
        return renderer.renderTile(scene, key, request, new TileRect(0, 0, request.imageWidth(), request.imageHeight()));
    }

    @Test
    void namesItsDevice() {
        assertThat(renderer.deviceName()).isNotBlank();
    }

    @Test
    void estimatesTheDeviceMemoryATileNeedsAndReportsItsHeap() {
        Scene box = TestScenes.boxWithCeilingLight(10f);
        long small = renderer.deviceBytes(box, "estimate-box", 64 * 64);
        long large = renderer.deviceBytes(box, "estimate-box", 512 * 512);

        assertThat(large - small).isEqualTo((512L * 512 - 64 * 64) * 24); // pixel list and radiance per pixel
        assertThat(small).isGreaterThan(64L * 64 * 24);
        assertThat(renderer.deviceMemoryBytes()).isPositive();
        TileImage image = full(box, "estimate-box", request(1, 1)); // the scene measured for the estimate renders
        assertThat(image.width()).isEqualTo(SIZE);
    }

    @Test
    void ceilingLightIsBrighterThanTheWallsAroundIt() {
        TileImage image = full(TestScenes.boxWithCeilingLight(10f), "lit-box", request(8, 4));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : image.rgb()) {
            assertThat(v).isFinite().isGreaterThanOrEqualTo(0f);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(max).isGreaterThan(min);
        // The light projects onto the image centre; the corners see walls.
        float darkestLightPixel = Float.MAX_VALUE;
        for (int y = 14; y < 18; y++) {
            for (int x = 14; x < 18; x++) {
                darkestLightPixel = Math.min(darkestLightPixel, image.channel(x, y, 1));
            }
        }
        float brightestCorner = Math.max(Math.max(image.channel(0, 0, 1), image.channel(SIZE - 1, 0, 1)),
                Math.max(image.channel(0, SIZE - 1, 1), image.channel(SIZE - 1, SIZE - 1, 1)));
        assertThat(darkestLightPixel).isGreaterThanOrEqualTo(10f);
        assertThat(brightestCorner).isGreaterThan(0f).isLessThan(darkestLightPixel / 2);
    }

    @Test
    void sameTileTwiceIsBitIdenticalEvenAfterAnotherScene() {
        Scene lit = TestScenes.boxWithCeilingLight(10f);
        TileRect rect = new TileRect(8, 4, 16, 12);
        TileImage first = renderer.renderTile(lit, "lit-box", request(4, 6), rect);
        renderer.renderTile(TestScenes.glowingBox(0.5f), "glowing-box", request(2, 2), rect);
        TileImage second = renderer.renderTile(lit, "lit-box", request(4, 6), rect);
        assertThat(second.rgb()).containsExactly(first.rgb());
    }

    @Test
    void spotCheckPixelsMatchTheTileExactly() {
        Scene lit = TestScenes.boxWithCeilingLight(10f);
        FrameRequest req = request(4, 6);
        TileRect rect = new TileRect(4, 8, 24, 20);
        TileImage tile = renderer.renderTile(lit, "lit-box", req, rect);
        int[] xy = {27, 27, 4, 8, 16, 16, 15, 17, 4, 27, 27, 8, 10, 20};
        float[] pixels = renderer.renderPixels(lit, "lit-box", req, xy);
        assertThat(pixels).hasSize(xy.length / 2 * 3);
        for (int i = 0; i < xy.length / 2; i++) {
            for (int c = 0; c < 3; c++) {
                float expected = tile.channel(xy[2 * i] - rect.x(), xy[2 * i + 1] - rect.y(), c);
                assertThat(Float.floatToRawIntBits(pixels[i * 3 + c]))
                        .as("pixel (%d,%d) channel %d", xy[2 * i], xy[2 * i + 1], c)
                        .isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
    }

    @Test
    void splittingIntoManyDispatchesChangesNothing() {
        Scene lit = TestScenes.boxWithCeilingLight(10f);
        FrameRequest req = request(4, 6);
        TileImage whole = full(lit, "lit-box", req);
        // 256 paths per dispatch at 4 spp: 64 pixels per dispatch, 16 dispatches for the frame.
        try (VulkanRenderer chunked = VulkanRenderer.open(256)) {
            TileImage split = chunked.renderTile(lit, "lit-box", req, new TileRect(0, 0, SIZE, SIZE));
            assertThat(split.rgb()).containsExactly(whole.rgb());
        }
    }

    @Test
    void differentFramesAndSeedsGiveDifferentNoise() {
        Scene lit = TestScenes.boxWithCeilingLight(10f);
        TileRect rect = new TileRect(0, 0, 8, 8);
        float[] base = renderer.renderTile(lit, "lit-box", new FrameRequest(SIZE, SIZE, 0, 2, 4, 1L), rect).rgb();
        float[] otherFrame = renderer.renderTile(lit, "lit-box", new FrameRequest(SIZE, SIZE, 1, 2, 4, 1L), rect).rgb();
        float[] otherSeed = renderer.renderTile(lit, "lit-box", new FrameRequest(SIZE, SIZE, 0, 2, 4, 2L << 32), rect).rgb();
        assertThat(otherFrame).isNotEqualTo(base);
        assertThat(otherSeed).isNotEqualTo(base);
    }

    @Test
    void sceneWithoutEmittersRendersBlack() {
        TileImage image = full(TestScenes.darkBox(), "dark-box", request(4, 8));
        for (float v : image.rgb()) {
            assertThat(v).isZero();
        }
    }

    @Test
    void emptySceneRendersBlack() {
        Scene empty = new Scene(TestScenes.lookingUp(), TestScenes.darkBox().materials(), new float[0], new int[0],
                java.util.List.of());
        assertThat(full(empty, "empty", request(2, 2)).rgb()).containsOnly(0f);
    }

    @Test
    void directlyVisibleEmissionIsExact() {
        // Bounce limit 0: only emission seen by camera rays, unweighted.
        assertThat(full(TestScenes.glowingBox(0.5f), "glow", request(2, 0)).rgb()).containsOnly(1f);
    }

    @Test
    void glowingBoxConservesEnergy() {
        // Every surface emits 1 and reflects a: expected radiance is sum_{k=0..B} a^k, whatever mix of
        // light sampling and BSDF sampling carries each path; a check on the MIS weights and pdfs.
        float a = 0.5f;
        for (int bounces : new int[] {1, 2, 8}) {
            double expected = (1 - Math.pow(a, bounces + 1)) / (1 - a);
            float[] rgb = full(TestScenes.glowingBox(a), "glow", request(16, bounces)).rgb();
            double mean = 0;
            for (float v : rgb) {
                mean += v;
            }
            mean /= rgb.length;
            assertThat(mean).as("mean radiance with %d bounces", bounces).isCloseTo(expected, within(expected * 0.01));
        }
    }

    @Test
    void aSceneOfMoreThanHundredThousandTrianglesRenders() {
        Scene spheres = BenchScenes.sphereGrid(100_000);
        assertThat(spheres.triangleCount()).isGreaterThanOrEqualTo(100_000);
        TileImage image = full(spheres, "spheres", request(1, 2));
        // The spheres fill the lower middle of the image; the top row sees only the dim environment.
        assertThat(blockMean(image, 8, 14, 16)).isGreaterThan(blockMean(image, 0, 0, 1) + 0.01);
        for (float v : image.rgb()) {
            assertThat(v).isFinite().isGreaterThanOrEqualTo(0f);
        }
    }

    private static double blockMean(TileImage image, int x0, int y0, int size) {
        double sum = 0;
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                sum += image.channel(x, y, 0) + image.channel(x, y, 1) + image.channel(x, y, 2);
            }
        }
        return sum / (3.0 * size * size);
    }

    @Test
    void thousandsOfSamplesPerPixelAllCount() {
        // lavapipe stops an invocation's loops after 65535 iterations in total; samples run in short passes
        // so a pixel with many samples and bounces still averages all of them.
        float a = 0.5f;
        double expected = (1 - Math.pow(a, 9)) / (1 - a);
        float[] rgb = renderer.renderPixels(TestScenes.glowingBox(a), "glow", request(2048, 8), new int[] {3, 5, 20, 17});
        for (float v : rgb) {
            assertThat((double) v).isCloseTo(expected, within(expected * 0.01));
        }
    }

    @Test
    void aPassCutShortByLavapipesLoopCapIsRunAgainInSmallerPasses() {
        // 2048 samples of 8 bounces in one pass run far past lavapipe's 65,535 loop iterations per invocation:
        // the shader reports the pass cut short, and the renderer redoes it in smaller passes, to the same bits.
        Scene box = TestScenes.glowingBox(0.5f);
        int[] xy = {3, 5, 20, 17};
        float[] inPasses = renderer.renderPixels(box, "glow", request(2048, 8), xy);
        try (VulkanRenderer oneBigPass = VulkanRenderer.openWithPassSamples(2048)) {
            assertThat(oneBigPass.renderPixels(box, "glow", request(2048, 8), xy)).containsExactly(inPasses);
            if (oneBigPass.deviceName().contains("llvmpipe")) {
                assertThat(oneBigPass.passSamples()).isLessThan(2048);
            }
        }
    }

    @Test
    void invalidRequestsAreRefused() {
        assertThatThrownBy(() -> new FrameRequest(SIZE, SIZE, 0, 0, 4, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameRequest(0, SIZE, 0, 4, 4, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameRequest(SIZE, -1, 0, 4, 4, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameRequest(SIZE, SIZE, -1, 4, 4, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameRequest(SIZE, SIZE, 0, 4, -1, 1L)).isInstanceOf(IllegalArgumentException.class);
        Scene lit = TestScenes.boxWithCeilingLight(10f);
        assertThatThrownBy(() -> renderer.renderTile(lit, "lit-box", request(1, 1), new TileRect(24, 0, 16, 16)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> renderer.renderPixels(lit, "lit-box", request(1, 1), new int[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> renderer.renderPixels(lit, "lit-box", request(1, 1), new int[] {SIZE, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
