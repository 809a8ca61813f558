package farm.render.coordinator.planning;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobFramesTest {
    private static JobRequest request(Integer start, Integer end, String frames) {
        return new JobRequest("d", start, end, 8, 8, 1, null, null, null, null, frames);
    }

    @Test
    void framesTakesAFrameListAndTheRangeFieldsStillWork() {
        List<String> problems = new ArrayList<>();
        assertThat(JobSubmission.frames(request(null, null, "1-9x4,20"), problems)).containsExactly(1, 5, 9, 20);
        assertThat(JobSubmission.frames(request(2, 4, null), problems)).containsExactly(2, 3, 4);
        assertThat(JobSubmission.frames(request(null, null, null), problems)).containsExactly(0);
        assertThat(problems).isEmpty();
    }

    @Test
    void badFrameRequestsAreProblemsNotExceptions() {
        List<String> problems = new ArrayList<>();
        JobSubmission.frames(request(1, 2, "1-3"), problems);
        JobSubmission.frames(request(null, null, "9-1"), problems);
        JobSubmission.frames(request(5, 1, null), problems);
        JobSubmission.frames(request(0, 2_000_000, null), problems);
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).contains("either frames or frameStart/frameEnd");
        assertThat(problems.get(1)).contains("\"9-1\"");
        assertThat(problems.get(2)).contains("frameEnd must not be before frameStart");
    }
}
