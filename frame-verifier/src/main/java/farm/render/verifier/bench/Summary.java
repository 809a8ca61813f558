package farm.render.verifier.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's goals over all its rows and its last line, {@code detection=X% false_positive=Y% overhead=Z%}: detection
 * over tiles with at least 5% forged pixels from new workers, false positives over verdicts on honest parties (honest tiles
 * failed, honest peers caught), overhead the larger verification cost at demo settings (spot check alone, spot check and
 * peer check).
 */
final class Summary {
    private record Rate(String row, long hits, long of, String expected) {
        double percent() {
            return of == 0 ? 100 : 100.0 * hits / of;
        }
    }

    private final List<Rate> detection = new ArrayList<>();
    private final List<Rate> caughtPeers = new ArrayList<>();
    private long falsePositives;
    private long honestVerdicts;
    private final List<String> costs = new ArrayList<>();
    private double overhead = Double.NaN;

    /** A row of forged tiles: {@code caught} of {@code tiles} failed; {@code expected} the chance in percent, or empty. */
    void forged(String row, long caught, long tiles, String expected) {
        detection.add(new Rate(row, caught, tiles, expected));
    }

    /** A row's verdicts on honest parties, {@code wrong} of them against one. */
    void honest(long wrong, long verdicts) {
        falsePositives += wrong;
        honestVerdicts += verdicts;
    }

    /** A lying or lazy peer: caught in {@code caught} of its {@code tasks}. */
    void dishonestPeer(String row, long caught, long tasks) {
        caughtPeers.add(new Rate(row, caught, tasks, ""));
    }

    /** Verification over render compute at demo settings, in percent, along one path. */
    void cost(String path, double percent) {
        costs.add(String.format("%s %.2f%%", path, percent));
        overhead = Double.isNaN(overhead) ? percent : Math.max(overhead, percent);
    }

    void print() {
        System.out.println("goals (detection and peers per row; the trusted-* rows are not counted):");
        Rate lowest = detection.stream().min((a, b) -> Double.compare(a.percent(), b.percent())).orElse(new Rate("none", 0, 0, ""));
        System.out.printf("  detection >= 99%% of tiles >= 5%% forged, in every row: lowest %.2f%% (%s, %d of %d%s): %s%n",
                lowest.percent(), lowest.row(), lowest.hits(), lowest.of(),
                lowest.expected().isEmpty() ? "" : "; expected " + lowest.expected() + "%", met(lowest.percent() >= 99));
        System.out.printf("  false positives 0: %d of %d verdicts on honest tiles and honest peers' reports: %s%n",
                falsePositives, honestVerdicts, met(falsePositives == 0));
        System.out.printf("  verification <= 3%% of render compute at demo settings: %s: %s%n",
                costs.isEmpty() ? "not measured" : String.join(", ", costs), met(!Double.isNaN(overhead) && overhead <= 3));
        if (!caughtPeers.isEmpty()) {
            List<String> each = caughtPeers.stream().map(r -> String.format("%s %.2f%% (%d of %d)", r.row(), r.percent(), r.hits(),
                    r.of())).toList();
            System.out.printf("  a lying or lazy peer caught in >= 99%% of its tasks: %s: %s%n", String.join(", ", each),
                    met(caughtPeers.stream().allMatch(r -> r.percent() >= 99)));
        }
        long detected = detection.stream().mapToLong(Rate::hits).sum();
        long forged = detection.stream().mapToLong(Rate::of).sum();
        System.out.printf("detection=%.2f%% false_positive=%.2f%% overhead=%.2f%%%n", forged == 0 ? 0 : 100.0 * detected / forged,
                honestVerdicts == 0 ? 0 : 100.0 * falsePositives / honestVerdicts, overhead);
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }
}
