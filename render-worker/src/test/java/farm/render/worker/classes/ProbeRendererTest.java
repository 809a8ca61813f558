package farm.render.worker.classes;

import farm.render.core.classes.NumericalFacts;
import farm.render.worker.render.VulkanRenderer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the real device: the facts a worker reports are in bounds and name the same class each time; probe digests are
 * the same on every render, and the test-only switch that flips the last bit of rRcp changes them.
 */
class ProbeRendererTest {
    private static final String PERTURB = "farm.test.perturbLastBit";

    private static List<String> digests(int count) throws Exception {
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            return new ProbeRenderer(renderer, ProbeRenderer.samplesFolder()).digests(count);
        }
    }

    @Test
    void theFactsAreInBoundsAndNameOneClass() {
        NumericalFacts first;
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            first = renderer.numericalFacts();
        }
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            assertThat(renderer.numericalFacts()).isEqualTo(first);
        }
        assertThat(first.problem()).isEmpty();
        assertThat(NumericalFacts.isClassId(first.classId())).isTrue();
        assertThat(first.floatControls()).contains("denormals");
    }

    @Test
    void probeDigestsRepeatAndThePerturbedArithmeticChangesThem() throws Exception {
        List<String> once = digests(3);
        assertThat(digests(3)).isEqualTo(once);
        assertThat(once).doesNotHaveDuplicates();
        System.setProperty(PERTURB, "true");
        List<String> perturbed;
        try {
            perturbed = digests(3);
        } finally {
            System.clearProperty(PERTURB);
        }
        for (int i = 0; i < once.size(); i++) {
            assertThat(perturbed.get(i)).as("probe %d", i).isNotEqualTo(once.get(i));
        }
    }
}
