package farm.render.worker.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The determinism benchmark's last line, {@code bitexact=X% rule_fail=Y% cost=Z%}: the worst pair's bit-identical
 * share, the worst pair's share of pixels the verifier's rule rejects, and the paths per second lost against the
 * baseline renderer. Shares are rounded towards the worse side, so 100.00% means every pixel and 0.00% means none.
 */
final class DeterminismSummary {
    private DeterminismSummary() {
    }

    /** {@code pairs}: each configuration against the reference, one per scene; {@code cost}: percent lost, if measured. */
    static String line(Collection<ImageAgreement> pairs, OptionalDouble cost) {
        String bitexact = pairs.stream().mapToDouble(ImageAgreement::identicalPercent).min()
                .stream().mapToObj(p -> percent(Math.floor(p * 100 + 1e-9) / 100)).findFirst().orElse("n/a");
        String ruleFail = pairs.stream().mapToDouble(ImageAgreement::ruleFailPercent).max()
                .stream().mapToObj(p -> percent(Math.ceil(p * 100 - 1e-9) / 100)).findFirst().orElse("n/a");
        String lost = cost.isPresent() ? percent(cost.getAsDouble()) : "n/a";
        return "bitexact=" + bitexact + " rule_fail=" + ruleFail + " cost=" + lost;
    }

    /**
     * Percent of paths per second lost: 100 × (1 − the geometric mean of this renderer's over the baseline's rate);
     * negative when this renderer is faster. {@code ratios} are this renderer's rate over the baseline's, one per scene
     * and configuration.
     */
    static OptionalDouble cost(Collection<Double> ratios) {
        if (ratios.isEmpty()) {
            return OptionalDouble.empty();
        }
        double logSum = ratios.stream().mapToDouble(Math::log).sum();
        return OptionalDouble.of(100 * (1 - Math.exp(logSum / ratios.size())));
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.2f%%", p);
    }
}
