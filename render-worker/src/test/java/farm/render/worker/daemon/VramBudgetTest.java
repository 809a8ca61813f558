package farm.render.worker.daemon;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class VramBudgetTest {
    @Test
    void aTaskThatNeedsMoreThanTheBudgetIsRefusedWithTheSceneTheFiguresAndWhatToDo() {
        VramBudget budget = VramBudget.of(OptionalLong.of(ByteSize.parse("--vram-budget", "1M")), 80L << 30);

        assertThat(budget.refusal("t-1", "sha256:abc", 1L << 20)).isEmpty();
        assertThat(budget.refusal("t-2", "sha256:abc", (1L << 20) + 1)).hasValueSatisfying(line -> assertThat(line)
                .contains("t-2", "sha256:abc", "needs 1.0 MiB", "budget is 1.0 MiB", "--vram-budget"));
    }

    @Test
    void withoutAGivenBudgetEightyPercentOfTheLargestHeapIsUsed() {
        VramBudget budget = VramBudget.of(OptionalLong.empty(), 10L << 30);

        assertThat(budget.bytes()).isEqualTo(8L << 30);
        assertThat(budget.refusal("t", "d", 8L << 30)).isEmpty();
        assertThat(budget.refusal("t", "d", (8L << 30) + 1)).isPresent();
        assertThat(VramBudget.of(OptionalLong.empty(), 0).refusal("t", "d", 80L << 30)).isEmpty(); // a device that reports no heap
    }
}
