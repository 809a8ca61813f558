package farm.render.worker.cli;

import farm.render.core.cli.CommandLines;
import farm.render.core.image.Exr;
import farm.render.core.image.PixelComparison;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.SceneImporter;
import farm.render.worker.WorkerMain;
import farm.render.worker.render.DeviceInfo;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.VulkanRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The determinism benchmark's comparison and last line, on a real lavapipe render read back from EXR; its command line. */
class DeterminismBenchTest {
    static TileImage cornell;

    @BeforeAll
    static void render() throws Exception {
        var scene = SceneImporter.importScene(Files.readAllBytes(BenchCommand.cornellBox()), "gltf");
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            TileImage rendered = renderer.renderTile(scene, "cornell-box", new FrameRequest(16, 16, 0, 4, 4, 1L), new TileRect(0, 0, 16, 16));
            cornell = Exr.decode(Exr.encode(rendered));
        }
    }

    private static TileImage changed(int pixel, int channel, float value) {
        float[] rgb = cornell.rgb().clone();
        rgb[pixel * 3 + channel] = value;
        return new TileImage(cornell.width(), cornell.height(), rgb);
    }

    @Test
    void anImageAgreesWithItselfBitForBit() {
        ImageAgreement same = ImageAgreement.of(cornell, cornell, PixelComparison.DEFAULT);
        assertThat(same).isEqualTo(new ImageAgreement(256, 256, 0, 0));
        assertThat(DeterminismSummary.line(List.of(same), OptionalDouble.empty())).isEqualTo("bitexact=100.00% rule_fail=0.00% cost=n/a");
    }

    @Test
    void oneUlpBreaksBitIdentityButNotTheRule() {
        float v = cornell.rgb()[3 * 40 + 1];
        ImageAgreement ulp = ImageAgreement.of(cornell, changed(40, 1, Math.nextUp(v)), PixelComparison.DEFAULT);
        assertThat(ulp.identical()).isEqualTo(255);
        assertThat(ulp.ruleFailures()).isZero();
        assertThat(ulp.maxAbsDiff()).isEqualTo((double) Math.nextUp(v) - v);
        // 255 of 256 is 99.609%: rounded down, and one pixel off never reads 100.00%
        assertThat(DeterminismSummary.identical(ulp)).isEqualTo("99.60%");
    }

    @Test
    void theWorstPairOfEachKindMakesTheLine() {
        float v = cornell.rgb()[0];
        ImageAgreement ulp = ImageAgreement.of(cornell, changed(0, 0, Math.nextUp(v)), PixelComparison.DEFAULT);
        float[] rgb = cornell.rgb().clone();
        for (int p = 0; p < 3; p++) {
            rgb[p * 3 + 2] = rgb[p * 3 + 2] * 1.5f + 1f;
        }
        ImageAgreement far = ImageAgreement.of(cornell, new TileImage(16, 16, rgb), PixelComparison.DEFAULT);
        assertThat(far.ruleFailures()).isEqualTo(3);
        assertThat(far.identical()).isEqualTo(253);
        // 3 of 256 failing is 1.171875%: rounded up
        assertThat(DeterminismSummary.line(List.of(ulp, far, ImageAgreement.of(cornell, cornell, PixelComparison.DEFAULT)),
                DeterminismSummary.cost(List.of(0.9, 0.9)))).isEqualTo("bitexact=98.82% rule_fail=1.18% cost=10.00%");
    }

    @Test
    void aNonFinitePixelIsAsFarAsPixelsGo() {
        ImageAgreement nan = ImageAgreement.of(cornell, changed(7, 0, Float.NaN), PixelComparison.DEFAULT);
        assertThat(nan.maxAbsDiff()).isInfinite();
        assertThat(nan.ruleFailures()).isEqualTo(1);
    }

    @Test
    void theCostIsTheGeometricMeanOfTheRatesLost() {
        assertThat(DeterminismSummary.cost(List.of()).isPresent()).isFalse();
        assertThat(DeterminismSummary.cost(List.of(0.5, 2.0)).getAsDouble()).isCloseTo(0, within(1e-9));
        assertThat(DeterminismSummary.cost(List.of(1.25)).getAsDouble()).isCloseTo(-25, within(1e-9));
    }

    @Test
    void lavapipeGivesThreeConfigurationsAndEveryOtherDeviceOne() {
        List<NumericalConfiguration> c = NumericalConfiguration.reachable(List.of(new DeviceInfo(0, "NVIDIA H100", "discrete", true),
                new DeviceInfo(1, "llvmpipe (LLVM 15.0.6, 256 bits)", "cpu", true), new DeviceInfo(2, "old card", "discrete", false)));
        assertThat(c).extracting(NumericalConfiguration::device).containsExactly(1, 1, 1, 0);
        assertThat(c.get(0).env()).isEmpty();
        assertThat(c.get(1).env()).isEqualTo(Map.of("GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1"));
        assertThat(c.get(2).env()).isEqualTo(Map.of("LP_NATIVE_VECTOR_WIDTH", "128"));
        assertThat(c.get(3).label()).contains("NVIDIA H100");
    }

    @Test
    void aSceneWordReadsBack() {
        DeterminismScene s = DeterminismScene.file("moving-sphere@13", BenchCommand.cornellBox(), 13);
        assertThat(DeterminismScene.parse(s.word())).isEqualTo(s);
        assertThat(DeterminismScene.parse(DeterminismScene.sphereGrid("grid", 1000).word()).source()).isEqualTo("sphere-grid:1000");
    }

    @Test
    void theCommandAnswersHelpAndRefusesAMistake() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var line = CommandLines.of(new WorkerMain(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(line.execute("bench", "determinism", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: bench determinism").contains("--baseline-jar=J");
        assertThat(line.execute("bench", "determinism", "--baseline-jar", "/no/such.jar")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not a render-worker jar").contains("usage: ");
        assertThat(DeterminismBench.isWorkerJar(BenchCommand.cornellBox())).isFalse();
    }
}
