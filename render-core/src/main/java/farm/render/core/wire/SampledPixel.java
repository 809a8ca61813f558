package farm.render.core.wire;

/**
 * Evidence for a verdict: one pixel the verifier drew, what its re-render gave ({@code expected},
 * linear RGB) and what the worker's tile held ({@code got}).
 */
public record SampledPixel(int x, int y, float[] expected, float[] got, boolean matched) {
}
