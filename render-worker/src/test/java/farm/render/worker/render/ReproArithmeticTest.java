package farm.render.worker.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * repro.glsl's functions, run on the Vulkan device (repro_eval.comp), against StrictMath over many inputs:
 * each stays within the error bound docs/renderer/README.md gives it, and none returns a denormal.
 */
class ReproArithmeticTest {
    private static final int COUNT = 1 << 16;
    private static final double TWO_PI = 2 * Math.PI;
    private static VulkanDevice device;
    private static ComputeQueue queue;
    private static byte[] spirv;

    @BeforeAll
    static void open() {
        device = VulkanDevice.create(DeviceChoice.any());
        queue = ComputeQueue.create(device);
        spirv = ShaderCompiler.compileCompute(ShaderSource.load("repro_eval.comp"), "repro_eval.comp");
    }

    @AfterAll
    static void close() {
        queue.close();
        device.close();
    }

    /** A function's inputs (x, y) and its reference in double precision. */
    private record Case(float[] x, float[] y, DoubleBinaryOperator reference) {
    }

    @Test
    void reciprocalIsWithinOneAndAHalfUlps() {
        assertThat(maxUlps(0, logUniform(-125, 124, true, 1), (x, y) -> 1 / x)).isLessThanOrEqualTo(1.5);
    }

    @Test
    void divisionIsWithinTwoUlps() {
        Case c = logUniform(-60, 60, true, 2);
        float[] b = logUniform(-60, 60, true, 3).x();
        assertThat(maxUlps(1, new Case(c.x(), b, (x, y) -> x / y), null)).isLessThanOrEqualTo(2);
    }

    @Test
    void squareRootIsWithinOneUlp() {
        assertThat(maxUlps(2, logUniform(-126, 127, false, 4), (x, y) -> Math.sqrt(x))).isLessThanOrEqualTo(1);
    }

    @Test
    void inverseSquareRootIsWithinFourteenUlps() {
        assertThat(maxUlps(3, logUniform(-126, 127, false, 5), (x, y) -> 1 / Math.sqrt(x))).isLessThanOrEqualTo(14);
    }

    @Test
    void sineAndCosineAreWithinTwoToTheMinus23() {
        Case c = uniform(-4 * TWO_PI, 4 * TWO_PI, 6);
        assertThat(maxAbs(4, c, (x, y) -> StrictMath.sin(x))).isLessThanOrEqualTo(0x1p-23);
        assertThat(maxAbs(5, c, (x, y) -> StrictMath.cos(x))).isLessThanOrEqualTo(0x1p-23);
    }

    @Test
    void arcTangentIsWithinTwoToTheMinus21() {
        Case c = uniform(-1, 1, 7);
        float[] y = uniform(-1, 1, 8).x();
        assertThat(maxAbs(6, new Case(c.x(), y, null), (x, b) -> StrictMath.atan2(b, x))).isLessThanOrEqualTo(0x1p-21);
    }

    @Test
    void arcCosineIsWithinTwoToTheMinus21() {
        assertThat(maxAbs(7, uniform(-1, 1, 9), (x, y) -> StrictMath.acos(x))).isLessThanOrEqualTo(0x1p-21);
    }

    @Test
    void logarithmIsWithinTwoUlpsOfTheLargerOfItsResultAndOne() {
        DoubleBinaryOperator log2 = (x, y) -> StrictMath.log(x) / StrictMath.log(2);
        assertThat(maxUlpsOfAtLeastOne(8, logUniform(-126, 127, false, 10), log2)).isLessThanOrEqualTo(2);
        assertThat(maxUlpsOfAtLeastOne(8, uniform(0.5f, 2, 11), log2)).isLessThanOrEqualTo(2);
    }

    @Test
    void exponentialIsWithinTwoUlps() {
        assertThat(maxUlps(9, uniform(-125, 127.9f, 12), (x, y) -> StrictMath.pow(2, x))).isLessThanOrEqualTo(2);
    }

    @Test
    void powerIsWithinTenUlpsOnTheSrgbCurveAndTwentyFourOnALargerRange() {
        Case srgb = uniform(0.09f, 1, 13);
        java.util.Arrays.fill(srgb.y(), 2.4f);
        assertThat(maxUlps(10, srgb, (x, b) -> StrictMath.pow(x, b))).isLessThanOrEqualTo(10);
        Case c = uniform(0.03f, 1, 14);
        float[] y = uniform(0.5f, 4, 15).x();
        assertThat(maxUlps(10, new Case(c.x(), y, null), (x, b) -> StrictMath.pow(x, b))).isLessThanOrEqualTo(24);
    }

    @Test
    void lengthIsWithinTwoUlpsAndNormalizeWithinFourteen() {
        Case a = logUniform(-40, 40, true, 15);
        float[] b = logUniform(-40, 40, true, 16).x();
        DoubleBinaryOperator length = (x, y) -> {
            double z = (float) (x - y);
            return Math.sqrt(x * x + y * y + z * z);
        };
        assertThat(maxUlps(11, new Case(a.x(), b, null), length)).isLessThanOrEqualTo(2);
        assertThat(maxUlps(12, new Case(a.x(), b, null), (x, y) -> x / length.applyAsDouble(x, y))).isLessThanOrEqualTo(14);
    }

    @Test
    void edgesFlushDenormalsAndKeepInfinities() {
        float tiny = 1e-40f;
        float[] x = {tiny, -tiny, 0f, -0f, 0x1p127f, Float.POSITIVE_INFINITY};
        float[] r = run(0, x, new float[x.length]);
        assertThat(r).containsExactly(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 0f, 0f);
        assertThat(run(2, new float[] {tiny, 0f, 4f}, new float[3])).containsExactly(0f, 0f, 2f);
        assertThat(run(9, new float[] {-126.5f, -200f, 130f}, new float[3]))
                .containsExactly(0f, 0f, Float.POSITIVE_INFINITY);
    }

    @Test
    void theDeviceReportsItsFloatControls() {
        assertThat(device.floatControls().toString()).contains("denormals").contains("rounding");
    }

    @Test
    void noFunctionReturnsADenormal() {
        Case wide = logUniform(-126, 127, true, 17);
        for (int function = 0; function <= 12; function++) {
            for (float v : run(function, wide.x(), logUniform(-126, 127, true, 18).x())) {
                assertThat(Math.abs(v) == 0 || !(Math.abs(v) < Float.MIN_NORMAL))
                        .as("function " + function + " gave the denormal " + v).isTrue();
            }
        }
    }

    /** How far a result lies from the exact value, in the unit a bound is stated in. */
    private interface Measure {
        double of(float got, double want);
    }

    private static double maxUlps(int function, Case c, DoubleBinaryOperator reference) {
        return worst(function, c, reference, (got, want) -> Math.abs(got - want) / Math.ulp((float) want), "ulps");
    }

    /** Error in units of the last place of max(|result|, 1): relative for large results, absolute near 0. */
    private static double maxUlpsOfAtLeastOne(int function, Case c, DoubleBinaryOperator reference) {
        return worst(function, c, reference,
                (got, want) -> Math.abs(got - want) / Math.ulp((float) Math.max(Math.abs(want), 1)), "ulps of max(|result|, 1)");
    }

    private static double maxAbs(int function, Case c, DoubleBinaryOperator reference) {
        return worst(function, c, reference, (got, want) -> Math.abs(got - want), "absolute");
    }

    private static double worst(int function, Case c, DoubleBinaryOperator reference, Measure measure, String unit) {
        DoubleBinaryOperator exact = reference != null ? reference : c.reference();
        float[] got = run(function, c.x(), c.y());
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, measure.of(got[i], exact.applyAsDouble(c.x()[i], c.y()[i])));
        }
        System.out.printf("repro function %d: max error %.4g %s%n", function, worst, unit);
        return worst;
    }

    /** Floats whose magnitude's log2 is uniform in [lo, hi], of either sign when signed. */
    private static Case logUniform(int lo, int hi, boolean signed, long seed) {
        Random random = new Random(seed);
        float[] x = new float[COUNT];
        for (int i = 0; i < COUNT; i++) {
            float v = (float) Math.pow(2, lo + (hi - lo) * random.nextDouble());
            x[i] = signed && random.nextBoolean() ? -v : v;
        }
        return new Case(x, new float[COUNT], null);
    }

    private static Case uniform(float lo, float hi, long seed) {
        return uniform((double) lo, hi, seed);
    }

    private static Case uniform(double lo, double hi, long seed) {
        Random random = new Random(seed);
        float[] x = new float[COUNT];
        for (int i = 0; i < COUNT; i++) {
            x[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return new Case(x, new float[COUNT], null);
    }

    /** Runs function on each (x[i], y[i]) and reads back the results. */
    private static float[] run(int function, float[] x, float[] y) {
        int n = x.length;
        ByteBuffer in = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            in.putFloat(x[i]).putFloat(y[i]);
        }
        in.flip();
        GpuBuffer[] buffers = new GpuBuffer[ComputePipeline.BINDING_COUNT];
        try (ComputePipeline pipeline = ComputePipeline.create(device, spirv, function)) {
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = i == 4 ? GpuBuffer.upload(device, in) : GpuBuffer.create(device, i == 5 ? 16L * n : 16);
            }
            pipeline.bind(buffers);
            ByteBuffer push = ByteBuffer.allocateDirect(PushConstants.SIZE).order(ByteOrder.LITTLE_ENDIAN);
            push.putInt(0, n);
            queue.dispatchAndWait(pipeline, push, (n + ComputePipeline.LOCAL_SIZE - 1) / ComputePipeline.LOCAL_SIZE);
            ByteBuffer out = buffers[5].mapped();
            float[] result = new float[n];
            for (int i = 0; i < n; i++) {
                result[i] = out.getFloat(16 * i);
            }
            return result;
        } finally {
            for (GpuBuffer b : buffers) {
                if (b != null) {
                    b.close();
                }
            }
        }
    }
}
