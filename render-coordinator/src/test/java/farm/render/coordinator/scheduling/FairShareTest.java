package farm.render.coordinator.scheduling;

import farm.render.coordinator.scheduling.FairShare.Candidate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** How a tier's free places are split between accounts and, inside an account, between its jobs. */
class FairShareTest {
    /** Ten jobs of one account at priority 100 and one job of another at 50, listed as the database orders them. */
    private static List<Candidate> tenAgainstOne(int busyWeight, int smallWeight, int room) {
        List<Candidate> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(new Candidate("busy-" + i, "artist:busy", busyWeight, room));
        }
        jobs.add(new Candidate("small", "artist:small", smallWeight, room));
        return jobs;
    }

    private static Map<String, Long> byAccount(List<String> places) {
        return places.stream().collect(Collectors.groupingBy(j -> j.startsWith("busy") ? "busy" : "small", Collectors.counting()));
    }

    @Test
    void equalWeightsShareEvenlyFromTheFirstPlaceWhateverThePriorities() {
        List<String> places = FairShare.places(tenAgainstOne(1, 1, 64), Map.of(), 8);
        assertThat(byAccount(places)).containsEntry("busy", 4L).containsEntry("small", 4L);
        // the accounts alternate, the higher priority's first
        assertThat(places.subList(0, 4)).containsExactly("busy-0", "small", "busy-0", "small");
    }

    @Test
    void weightsSetTheProportions() {
        Map<String, Long> split = byAccount(FairShare.places(tenAgainstOne(1, 3, 100), Map.of(), 100));
        assertThat(split).containsEntry("busy", 25L).containsEntry("small", 75L);
    }

    @Test
    void tilesAlreadyOutCountSoPlacesFreedByTheBusyAccountGoToTheOther() {
        List<String> places = FairShare.places(tenAgainstOne(1, 1, 64), Map.of("artist:busy", 10, "artist:small", 2), 10);
        assertThat(byAccount(places)).containsEntry("busy", 1L).containsEntry("small", 9L);
    }

    @Test
    void insideAnAccountJobsGoByPriorityAndEachStopsAtItsRoom() {
        List<String> places = FairShare.places(tenAgainstOne(1, 1, 2), Map.of(), 8);
        assertThat(places.stream().filter(j -> j.startsWith("busy"))).containsExactly("busy-0", "busy-0", "busy-1", "busy-1",
                "busy-2", "busy-2");
        assertThat(places.stream().filter("small"::equals)).hasSize(2);
    }

    @Test
    void placesLeftWhenEveryJobIsOutOfRoomStayFree() {
        List<String> places = FairShare.places(List.of(new Candidate("a", "artist:a", 1, 3), new Candidate("b", "artist:b", 1, 0)),
                Map.of(), 10);
        assertThat(places).containsExactly("a", "a", "a");
        assertThat(FairShare.places(List.of(), Map.of(), 10)).isEmpty();
        assertThat(FairShare.places(tenAgainstOne(1, 1, 64), Map.of(), 0)).isEmpty();
    }

    @Test
    void manyAccountsEachGetTheirShare() {
        List<Candidate> jobs = new ArrayList<>();
        for (int a = 0; a < 50; a++) {
            for (int j = 0; j < 3; j++) {
                jobs.add(new Candidate("job-" + a + "-" + j, "artist:a" + a, 1, 64));
            }
        }
        Map<String, Long> split = FairShare.places(jobs, Map.of(), 1000).stream()
                .collect(Collectors.groupingBy(j -> j.substring(0, j.lastIndexOf('-')), Collectors.counting()));
        assertThat(split).hasSize(50).allSatisfy((account, n) -> assertThat(n).isEqualTo(20L));
    }
}
