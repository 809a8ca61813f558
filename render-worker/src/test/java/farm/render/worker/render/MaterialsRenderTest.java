package farm.render.worker.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import farm.render.core.planning.TileRect;
import farm.render.core.scene.Camera;
import farm.render.core.scene.EnvironmentMap;
import farm.render.core.scene.Material;
import farm.render.core.scene.MaterialTextures;
import farm.render.core.scene.PunctualLight;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Scene;
import farm.render.core.scene.Shading;
import farm.render.core.scene.Texture;
import farm.render.core.scene.TextureSlot;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.joml.Vector3f;

/** Textures, alpha masks, environment maps and the radiance clamp, on lavapipe; small images. */
class MaterialsRenderTest {
    private static final int SIZE = 32;
    private static VulkanRenderer renderer;
    private static VulkanRenderer bsdfOnly;

    // A 2 × 2 checker: red, green / blue, sRGB grey 128 (linear 0.2158), rows top to bottom.
    private static final byte[] CHECKER = {
            (byte) 255, 0, 0, (byte) 255, 0, (byte) 255, 0, (byte) 255,
            0, 0, (byte) 255, (byte) 255, (byte) 128, (byte) 128, (byte) 128, (byte) 255};
    private static final float GREY = 0.21586f;

    @BeforeAll
    static void open() {
        renderer = VulkanRenderer.open();
        bsdfOnly = VulkanRenderer.open(VulkanRenderer.PATHS_PER_DISPATCH, false);
    }

    @AfterAll
    static void close() {
        if (renderer != null) {
            renderer.close();
        }
        if (bsdfOnly != null) {
            bsdfOnly.close();
        }
    }

    /** Camera on +Z looking at the quad [-1,1]² in the plane z = 0, which fills the whole image. */
    private static Camera facingQuad() {
        return new Camera(new Vector3f(0, 0, 2), new Vector3f(0, 0, -1), new Vector3f(0, 1, 0), (float) (2 * Math.atan(0.45)));
    }

    /**
     * A lone quad at z = z facing +Z; its UV set 0 runs (0,0) top left to (1,1) bottom right, set 1 is
     * mirrored left to right.
     */
    private static void quad(TestScenes.Builder b, float z, int material, List<Float> uv0, List<Float> uv1) {
        Vector3f tl = new Vector3f(-1, 1, z);
        Vector3f tr = new Vector3f(1, 1, z);
        Vector3f br = new Vector3f(1, -1, z);
        Vector3f bl = new Vector3f(-1, -1, z);
        // Both triangles keep the order the builder writes (their normal already faces +Z).
        b.triangle(tl, bl, br, new Vector3f(0, 0, 1), material);
        b.triangle(tl, br, tr, new Vector3f(0, 0, 1), material);
        uv0.addAll(List.of(0f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 1f, 1f, 1f, 0f));
        uv1.addAll(List.of(1f, 0f, 1f, 1f, 0f, 1f, 1f, 0f, 0f, 1f, 0f, 0f));
    }

    private static float[] array(List<Float> list) {
        float[] a = new float[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    private static Material textured(String name, TextureSlot base, float opacity, float cutoff) {
        return new Material(name, new Rgb(1, 1, 1), Rgb.BLACK, 0f, 1f, 0f, true, new Rgb(1, 1, 1), 1.5f, opacity, cutoff,
                new MaterialTextures(base, TextureSlot.NONE, TextureSlot.NONE, TextureSlot.NONE));
    }

    /** A white-lit (uniform environment 1) Lambertian quad: each pixel shows the albedo the texture gives it. */
    private static float[] renderCheckerQuad(TextureSlot slot, String key) {
        TestScenes.Builder b = new TestScenes.Builder();
        List<Float> uv0 = new java.util.ArrayList<>();
        List<Float> uv1 = new java.util.ArrayList<>();
        quad(b, 0, 0, uv0, uv1);
        Texture checker = new Texture(2, 2, Texture.Wrap.REPEAT, Texture.Wrap.REPEAT, true, CHECKER);
        Scene scene = new Scene(facingQuad(), List.of(textured("checker", slot, 1f, -1f)), b.positions(), b.ids(), List.of(),
                List.of(), new Rgb(1, 1, 1), List.of(checker), new Shading(null, null, array(uv0), array(uv1)),
                EnvironmentMap.NONE);
        return renderer.renderTile(scene, key, new FrameRequest(SIZE, SIZE, 0, 16, 1, 3L), new TileRect(0, 0, SIZE, SIZE)).rgb();
    }

    private static float[] pixel(float[] rgb, int x, int y) {
        int o = (y * SIZE + x) * 3;
        return new float[]{rgb[o], rgb[o + 1], rgb[o + 2]};
    }

    private static void assertColour(float[] rgb, int x, int y, float r, float g, float b) {
        assertThat(pixel(rgb, x, y)).as("pixel (%d,%d)", x, y).containsExactly(new float[]{r, g, b}, within(0.03f));
    }

    @Test
    void aCheckerTextureShowsItsColoursInTheRightQuadrants() {
        float[] rgb = renderCheckerQuad(TextureSlot.of(0, 0), "checker-uv0");
        assertColour(rgb, 8, 8, 1, 0, 0);
        assertColour(rgb, 24, 8, 0, 1, 0);
        assertColour(rgb, 8, 24, 0, 0, 1);
        // sRGB 128 decodes to linear 0.216, not 0.5.
        assertColour(rgb, 24, 24, GREY, GREY, GREY);
    }

    @Test
    void theSecondUvSetAndATextureTransformMoveTheChecker() {
        // UV set 1 mirrors the quad left to right.
        float[] mirrored = renderCheckerQuad(TextureSlot.of(0, 1), "checker-uv1");
        assertColour(mirrored, 8, 8, 0, 1, 0);
        assertColour(mirrored, 24, 8, 1, 0, 0);
        assertColour(mirrored, 8, 24, GREY, GREY, GREY);
        // KHR_texture_transform offset (0, 0.5) with repeat wrapping swaps the top and bottom rows.
        float[] shifted = renderCheckerQuad(new TextureSlot(0, 0, 0f, 0.5f, 0f, 1f, 1f, 1f), "checker-offset");
        assertColour(shifted, 8, 8, 0, 0, 1);
        assertColour(shifted, 24, 8, GREY, GREY, GREY);
        assertColour(shifted, 8, 24, 1, 0, 0);
        // Scale 2 repeats the checker twice across the quad: the top-left quadrant holds a whole checker.
        float[] tiled = renderCheckerQuad(new TextureSlot(0, 0, 0f, 0f, 0f, 2f, 2f, 1f), "checker-scale");
        assertColour(tiled, 4, 4, 1, 0, 0);
        assertColour(tiled, 12, 4, 0, 1, 0);
        assertColour(tiled, 20, 4, 1, 0, 0);
    }

    @Test
    void anAlphaMaskedSurfaceIsSeenThroughAndCastsNoShadowWhereItIsCutOut() {
        // Front quad (z = 0.5): texture alpha 0 on its left half, 1 on its right; white behind a red base colour.
        // Back quad (z = 0): green. A directional light shines straight down the view axis; no environment.
        byte[] halfCut = {(byte) 255, (byte) 255, (byte) 255, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 255};
        TestScenes.Builder b = new TestScenes.Builder();
        List<Float> uv0 = new java.util.ArrayList<>();
        List<Float> uv1 = new java.util.ArrayList<>();
        quad(b, 0.5f, 0, uv0, uv1);
        quad(b, 0f, 1, uv0, uv1);
        Material front = new Material("mask", new Rgb(1, 0, 0), Rgb.BLACK, 0f, 1f, 0f, true, new Rgb(1, 1, 1), 1.5f, 1f, 0.5f,
                new MaterialTextures(TextureSlot.of(0, 0), TextureSlot.NONE, TextureSlot.NONE, TextureSlot.NONE));
        Material back = new Material("green", new Rgb(0, 1, 0), Rgb.BLACK);
        Scene scene = new Scene(facingQuad(), List.of(front, back), b.positions(), b.ids(), List.of(),
                List.of(PunctualLight.directional(new Vector3f(0, 0, -1), new Rgb(3, 3, 3))), Rgb.BLACK,
                List.of(new Texture(2, 1, Texture.Wrap.CLAMP, Texture.Wrap.CLAMP, true, halfCut)),
                new Shading(null, null, array(uv0), array(uv1)), EnvironmentMap.NONE);
        float[] rgb = renderer.renderTile(scene, "masked", new FrameRequest(SIZE, SIZE, 0, 8, 1, 5L),
                new TileRect(0, 0, SIZE, SIZE)).rgb();
        // Left half: the green quad behind, lit (the shadow ray passes the cut-out too): 3 / pi.
        float lit = (float) (3 / Math.PI);
        assertColour(rgb, 6, 16, 0, lit, 0);
        // Right half: the red front quad.
        assertColour(rgb, 26, 16, lit, 0, 0);
        // Without the mask the front quad covers everything and the green quad is in its shadow.
        Material solid = new Material("solid", new Rgb(1, 0, 0), Rgb.BLACK);
        Scene unmasked = new Scene(scene.camera(), List.of(solid, back), scene.positions(), scene.materialIds(), List.of(),
                scene.lights(), Rgb.BLACK);
        float[] covered = renderer.renderTile(unmasked, "unmasked", new FrameRequest(SIZE, SIZE, 0, 8, 1, 5L),
                new TileRect(0, 0, SIZE, SIZE)).rgb();
        assertColour(covered, 6, 16, lit, 0, 0);
    }

    /** Black everywhere but a bright patch around +X on the horizon. */
    private static EnvironmentMap brightOnPlusX() {
        int w = 64;
        int h = 32;
        float[] rgb = new float[w * h * 3];
        for (int y = 13; y < 19; y++) {
            for (int x = 45; x < 51; x++) {
                int o = (y * w + x) * 3;
                rgb[o] = 40;
                rgb[o + 1] = 40;
                rgb[o + 2] = 40;
            }
        }
        return new EnvironmentMap(w, h, rgb);
    }

    @Test
    void anEnvironmentMapsBrightRegionLightsTheSphereFromThatSide() {
        Scene base = LightTransportTest.sphereIn(new Material("white", new Rgb(0.8f, 0.8f, 0.8f), Rgb.BLACK), Rgb.BLACK);
        Scene scene = new Scene(base.camera(), base.materials(), base.positions(), base.materialIds(), List.of(), List.of(),
                Rgb.BLACK, List.of(), Shading.NONE, brightOnPlusX());
        FrameRequest request = new FrameRequest(SIZE, SIZE, 0, 64, 4, 9L);
        float[] rgb = renderer.renderTile(scene, "env-map", request, new TileRect(0, 0, SIZE, SIZE)).rgb();
        // The camera looks down -Z with +X to the right: the sphere's right side faces the patch.
        double right = 0;
        double left = 0;
        for (int y = 12; y < 20; y++) {
            right += pixel(rgb, 20, y)[1];
            left += pixel(rgb, 11, y)[1];
        }
        assertThat(right / 8).isGreaterThan(0.5);
        assertThat(left / 8).isLessThan(right / 8 / 20);
        // Importance sampling with MIS and BSDF sampling alone agree on the mean (the estimators are unbiased).
        float[] plain = bsdfOnly.renderTile(scene, "env-map", new FrameRequest(SIZE, SIZE, 0, 256, 4, 9L),
                new TileRect(0, 0, SIZE, SIZE)).rgb();
        assertThat(mean(rgb)).isCloseTo(mean(plain), within(0.06 * mean(plain)));
    }

    @Test
    void aPipelineBuiltForTheScenesFeaturesRendersExactlyAsTheOneWithEveryFeature() {
        // Each scene's pipeline leaves out the code of features it lacks; what remains must give the same bits.
        Scene sphere = LightTransportTest.sphereIn(new Material("white", new Rgb(0.8f, 0.8f, 0.8f), Rgb.BLACK), Rgb.BLACK);
        Scene env = new Scene(sphere.camera(), sphere.materials(), sphere.positions(), sphere.materialIds(), List.of(), List.of(),
                Rgb.BLACK, List.of(), Shading.NONE, brightOnPlusX());
        TestScenes.Builder b = new TestScenes.Builder();
        List<Float> uv0 = new java.util.ArrayList<>();
        List<Float> uv1 = new java.util.ArrayList<>();
        quad(b, 0f, 0, uv0, uv1);
        Scene checker = new Scene(facingQuad(), List.of(textured("checker", TextureSlot.of(0, 0), 1f, -1f)), b.positions(), b.ids(),
                List.of(), List.of(PunctualLight.directional(new Vector3f(0, 0, -1), new Rgb(3, 3, 3))), Rgb.BLACK,
                List.of(new Texture(2, 2, Texture.Wrap.REPEAT, Texture.Wrap.REPEAT, true, CHECKER)),
                new Shading(null, null, array(uv0), array(uv1)), EnvironmentMap.NONE);
        Scene box = TestScenes.boxWithCeilingLight(4f);
        FrameRequest request = new FrameRequest(SIZE, SIZE, 0, 8, 4, 21L);
        TileRect all = new TileRect(0, 0, SIZE, SIZE);
        try (VulkanRenderer everything = VulkanRenderer.openWithEveryFeature()) {
            for (Scene scene : List.of(box, env, checker)) {
                String key = "features-" + scene.triangleCount() + "-" + scene.textures().size();
                float[] specialised = renderer.renderTile(scene, key, request, all).rgb();
                assertThat(mean(specialised)).isGreaterThan(0.0);
                assertThat(everything.renderTile(scene, key, request, all).rgb()).isEqualTo(specialised);
            }
        }
    }

    private static double mean(float[] rgb) {
        double s = 0;
        for (float v : rgb) {
            s += v;
        }
        return s / rgb.length;
    }

    @Test
    void clampingIndirectLightLowersFirefliesButNotWhatTheCameraSeesDirectly() {
        Scene box = TestScenes.boxWithCeilingLight(400f);
        TileRect all = new TileRect(0, 0, SIZE, SIZE);
        float[] free = renderer.renderTile(box, "firefly-box", new FrameRequest(SIZE, SIZE, 0, 4, 6, 11L), all).rgb();
        float[] clamped = renderer.renderTile(box, "firefly-box", new FrameRequest(SIZE, SIZE, 0, 4, 6, 11L, 1f), all).rgb();
        float freeMax = 0;
        float clampedMax = 0;
        double freeSum = 0;
        double clampedSum = 0;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean light = x >= 8 && x < 24 && y >= 8 && y < 24;
                for (int c = 0; c < 3; c++) {
                    int i = (y * SIZE + x) * 3 + c;
                    if (!light) {
                        freeMax = Math.max(freeMax, free[i]);
                        clampedMax = Math.max(clampedMax, clamped[i]);
                    }
                    freeSum += free[i];
                    clampedSum += clamped[i];
                }
            }
        }
        assertThat(clampedMax).isLessThan(freeMax);
        assertThat(clampedSum).isLessThan(freeSum);
        // The emitter seen straight from the camera is direct light: never clamped.
        assertThat(pixel(clamped, 16, 16)[0]).isGreaterThanOrEqualTo(400f);
    }
}
