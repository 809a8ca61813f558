package farm.render.worker.cli;

import java.util.Collection;
import java.util.Comparator;
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
        String bitexact = pairs.stream().min(Comparator.comparingDouble(ImageAgreement::identicalPercent))
                .map(DeterminismSummary::identical).orElse("n/a");
        String ruleFail = pairs.stream().max(Comparator.comparingDouble(ImageAgreement::ruleFailPercent))
                .map(DeterminismSummary::ruleFail).orElse("n/a");
        String lost = cost.isPresent() ? String.format(Locale.ROOT, "%.2f%%", cost.getAsDouble()) : "n/a";
        return "bitexact=" + bitexact + " rule_fail=" + ruleFail + " cost=" + lost;
    }

    /** The bit-identical share with two decimals, rounded down: one differing pixel keeps it below 100.00%. */
    static String identical(ImageAgreement a) {
        return String.format(Locale.ROOT, "%.2f%%", Math.min(100, Math.floor(a.identicalPercent() * 100 + 1e-9) / 100));
    }

    /** The rule-failure share with two decimals, rounded up: one failing pixel lifts it above 0.00%. */
    static String ruleFail(ImageAgreement a) {
        return String.format(Locale.ROOT, "%.2f%%", Math.max(0, Math.ceil(a.ruleFailPercent() * 100 - 1e-9) / 100));
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
}
