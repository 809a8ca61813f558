package farm.render.worker.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import farm.render.core.planning.TileRect;
import farm.render.core.scene.Camera;
import farm.render.core.scene.Material;
import farm.render.core.scene.PunctualLight;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Scene;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.joml.Vector3f;

/** Correctness of the light transport against closed-form answers; small images, few samples. */
class LightTransportTest {
    private static VulkanRenderer withLightSampling;
    private static VulkanRenderer pathTracingOnly;

    @BeforeAll
    static void open() {
        withLightSampling = VulkanRenderer.open();
        pathTracingOnly = VulkanRenderer.open(VulkanRenderer.PATHS_PER_DISPATCH, false);
    }

    @AfterAll
    static void close() {
        if (withLightSampling != null) {
            withLightSampling.close();
        }
        if (pathTracingOnly != null) {
            pathTracingOnly.close();
        }
    }

    private static float[] render(VulkanRenderer r, Scene scene, String key, int size, int spp, int bounces) {
        return r.renderTile(scene, key, new FrameRequest(size, size, 0, spp, bounces, 7L), new TileRect(0, 0, size, size)).rgb();
    }

    private static double mean(float[] rgb) {
        double sum = 0;
        for (float v : rgb) {
            sum += v;
        }
        return sum / rgb.length;
    }

    /** A sphere of radius 1 at the origin, wound outwards, seen from +Z. */
    static Scene sphereIn(Material material, Rgb environment) {
        TestScenes.Builder b = new TestScenes.Builder();
        int rings = 24;
        int segments = 48;
        for (int i = 0; i < rings; i++) {
            for (int j = 0; j < segments; j++) {
                Vector3f[] q = new Vector3f[4];
                for (int k = 0; k < 4; k++) {
                    double theta = Math.PI * (i + (k >> 1)) / rings;
                    double phi = 2 * Math.PI * (j + ((k ^ (k >> 1)) & 1)) / segments;
                    q[k] = new Vector3f((float) (Math.sin(theta) * Math.cos(phi)), (float) Math.cos(theta),
                            (float) (Math.sin(theta) * Math.sin(phi)));
                }
                Vector3f outward = q[0].add(q[1], new Vector3f()).add(q[2]).add(q[3]);
                b.triangle(q[0], q[1], q[2], outward, 0);
                b.triangle(q[0], q[2], q[3], outward, 0);
            }
        }
        Camera camera = new Camera(new Vector3f(0, 0, 3.5f), new Vector3f(0, 0, -1), new Vector3f(0, 1, 0), (float) Math.toRadians(40));
        return new Scene(camera, List.of(material), b.positions(), b.ids(), List.of(), List.of(), environment);
    }

    @Test
    void whiteFurnaceRendersRadianceOneEverywhere() {
        Scene furnace = sphereIn(new Material("white", new Rgb(1, 1, 1), Rgb.BLACK), new Rgb(1, 1, 1));
        for (VulkanRenderer r : new VulkanRenderer[] {withLightSampling, pathTracingOnly}) {
            float[] rgb = render(r, furnace, "furnace", 64, 16, 8);
            for (int i = 0; i < rgb.length; i++) {
                assertThat(rgb[i]).as("value %d", i).isCloseTo(1f, within(0.01f));
            }
        }
    }

    @Test
    void aGreyFurnaceGivesTheAlbedoAfterOneBounce() {
        // A convex object reflects once then escapes: radiance is albedo times the environment.
        Scene grey = sphereIn(new Material("grey", new Rgb(0.5f, 0.25f, 0.75f), Rgb.BLACK), new Rgb(1, 1, 1));
        float[] rgb = render(withLightSampling, grey, "grey-furnace", 32, 8, 8);
        int centre = (16 * 32 + 16) * 3;
        assertThat(rgb[centre]).isCloseTo(0.5f, within(0.005f));
        assertThat(rgb[centre + 1]).isCloseTo(0.25f, within(0.0025f));
        assertThat(rgb[centre + 2]).isCloseTo(0.75f, within(0.0075f));
    }

    @Test
    void glossyMaterialsConserveEnergyAsTheModelDoesAndBothEstimatorsAgree() {
        // A metal's GGX lobe loses a little energy to single scattering but never gains any. glTF's dielectric
        // mix weights the base by 1 - F(v.h), which is not energy conserving: a white glossy plastic reflects a
        // few per cent more than it receives (the image mean is 1.021 here, background included), so it gets a loose bound. Light sampling + MIS and
        // BSDF sampling alone must agree on the mean, which checks the specular pdf against its sampling.
        for (Material m : new Material[] {
                new Material("metal", new Rgb(1, 1, 1), Rgb.BLACK, 1f, 0.3f, 1f, false),
                new Material("plastic", new Rgb(1, 1, 1), Rgb.BLACK, 0f, 0.2f, 1f, false)}) {
            Scene furnace = sphereIn(m, new Rgb(1, 1, 1));
            // Single pixels are noisy (the lobe is not sampled exactly in proportion to f cos); the mean is not.
            double nee = mean(render(withLightSampling, furnace, m.name(), 32, 32, 8));
            double pt = mean(render(pathTracingOnly, furnace, m.name(), 32, 32, 8));
            assertThat(nee).as(m.name()).isLessThanOrEqualTo(m.metallic() == 1f ? 1.003 : 1.03).isGreaterThan(0.85);
            assertThat(pt).as(m.name()).isCloseTo(nee, within(0.01));
        }
    }

    @Test
    void moreBouncesNeverBrightenByMoreThanTheAlbedoAllows() {
        // Same seeds, so each extra bounce only adds the next path vertex's light: per pixel the image
        // can only grow, and each bounce adds at most albedo (0.7) times what the previous one added.
        Scene lit = TestScenes.boxWithCeilingLight(10f);
        float[] previous = render(withLightSampling, lit, "lit", 24, 16, 1);
        double previousGain = Double.NaN;
        for (int bounces = 2; bounces <= 5; bounces++) {
            float[] next = render(withLightSampling, lit, "lit", 24, 16, bounces);
            for (int i = 0; i < next.length; i++) {
                assertThat(next[i]).as("value %d at %d bounces", i, bounces).isGreaterThanOrEqualTo(previous[i] * (1 - 1e-5f));
            }
            double gain = mean(next) - mean(previous);
            if (!Double.isNaN(previousGain)) {
                assertThat(gain).as("gain of bounce %d", bounces).isLessThanOrEqualTo(previousGain * 0.7 * 1.15);
            }
            previousGain = gain;
            previous = next;
        }
    }

    @Test
    void lightSamplingAndPurePathTracingConvergeToTheSameMean() {
        Scene lit = TestScenes.boxWithCeilingLight(10f);
        double nee = mean(render(withLightSampling, lit, "lit", 32, 64, 6));
        double pt = mean(render(pathTracingOnly, lit, "lit", 32, 256, 6));
        assertThat(pt).isCloseTo(nee, within(nee * 0.03));
    }

    @Test
    void aPointLightAboveAFloorGivesTheInverseSquareLaw() {
        // Lambertian floor of albedo a under a point light of intensity I at height h: L = a / pi * I / h^2.
        TestScenes.Builder b = new TestScenes.Builder();
        b.quad(new Vector3f(-50, 0, -50), new Vector3f(50, 0, -50), new Vector3f(50, 0, 50), new Vector3f(-50, 0, 50), new Vector3f(0, 1, 0), 0);
        Camera down = new Camera(new Vector3f(0, 1, 0), new Vector3f(0, -1, 0), new Vector3f(0, 0, -1), (float) Math.toRadians(1));
        float a = 0.5f;
        float intensity = 20f;
        float h = 2f;
        Scene floor = new Scene(down, List.of(new Material("floor", new Rgb(a, a, a), Rgb.BLACK)), b.positions(), b.ids(),
                List.of(), List.of(PunctualLight.point(new Vector3f(0, h, 0), new Rgb(intensity, intensity, intensity))), Rgb.BLACK);
        float[] rgb = render(withLightSampling, floor, "point", 4, 4, 1);
        double expected = a / Math.PI * intensity / (h * h);
        assertThat(mean(rgb)).isCloseTo(expected, within(expected * 0.002));
    }
}
