package farm.render.core.planning;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameRangesTest {
    @Test
    void aRangeNamesEveryFrameInIt() {
        assertThat(FrameRanges.parse("1-100")).hasSize(100).startsWith(1, 2).endsWith(100);
    }

    @Test
    void aStepTakesEveryNthFrameFromTheFirst() {
        assertThat(FrameRanges.parse("1-100x5")).hasSize(20).startsWith(1, 6, 11).endsWith(96);
        assertThat(FrameRanges.parse("0-10x3")).containsExactly(0, 3, 6, 9);
    }

    @Test
    void listsMixNumbersAndRangesSortedWithoutDuplicates() {
        assertThat(FrameRanges.parse("3,7,9-12")).containsExactly(3, 7, 9, 10, 11, 12);
        assertThat(FrameRanges.parse(" 12, 9-12 ,3,3 ")).containsExactly(3, 9, 10, 11, 12);
        assertThat(FrameRanges.parse("42")).containsExactly(42);
        assertThat(FrameRanges.parse("0")).containsExactly(0);
        assertThat(FrameRanges.parse("5-5")).containsExactly(5);
    }

    @Test
    void mistakesAreRefusedNamingThePartAtFault() {
        assertThatThrownBy(() -> FrameRanges.parse("")).hasMessageContaining("at least one frame");
        assertThatThrownBy(() -> FrameRanges.parse(null)).isInstanceOf(FrameRanges.InvalidFrameRange.class);
        assertThatThrownBy(() -> FrameRanges.parse("1,,3")).hasMessageContaining("empty part");
        assertThatThrownBy(() -> FrameRanges.parse("10-1")).hasMessageContaining("\"10-1\"").hasMessageContaining("ends before");
        assertThatThrownBy(() -> FrameRanges.parse("a-3")).hasMessageContaining("\"a\" is not a frame number");
        assertThatThrownBy(() -> FrameRanges.parse("-3")).hasMessageContaining("\"-3\"");
        assertThatThrownBy(() -> FrameRanges.parse("1-10x0")).hasMessageContaining("step must be 1 or more");
        assertThatThrownBy(() -> FrameRanges.parse("1-10x")).hasMessageContaining("not a step number");
        assertThatThrownBy(() -> FrameRanges.parse("5x2")).hasMessageContaining("a step needs a range");
        assertThatThrownBy(() -> FrameRanges.parse("1-99999999999")).hasMessageContaining("between 0 and");
        assertThatThrownBy(() -> FrameRanges.parse("1.5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aListLongerThanTheCapIsRefusedBeforeItIsExpanded() {
        assertThat(FrameRanges.parse("1-10000")).hasSize(FrameRanges.MAX_FRAMES);
        assertThatThrownBy(() -> FrameRanges.parse("0-10000")).hasMessageContaining("more than 10000 frames");
        assertThatThrownBy(() -> FrameRanges.parse("0-1000000")).hasMessageContaining("more than");
        assertThatThrownBy(() -> FrameRanges.parse("1-6,7-12", 10)).hasMessageContaining("more than 10 frames");
        assertThat(FrameRanges.parse("1-6,4-10", 10)).hasSize(10);
    }

    @Test
    void formatWritesTheShortestSpecAndRoundTrips() {
        assertThat(FrameRanges.format(List.of(3, 7, 9, 10, 11, 12))).isEqualTo("3,7,9-12");
        assertThat(FrameRanges.format(List.of(1, 2))).isEqualTo("1,2");
        assertThat(FrameRanges.format(List.of(0))).isEqualTo("0");
        List<Integer> every5 = FrameRanges.parse("1-100x5");
        assertThat(FrameRanges.parse(FrameRanges.format(every5))).isEqualTo(every5);
        List<Integer> all = IntStream.rangeClosed(0, 99).boxed().toList();
        assertThat(FrameRanges.format(all)).isEqualTo("0-99");
    }
}
