package farm.render.coordinator.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Splits a tier's free dispatch places between accounts in proportion to their weights, and between one account's
 * jobs by priority. Each place goes to the account with the fewest tiles out per unit of weight (tiles already out
 * count, so an account that filled the tier earlier yields the places it frees), ties to the account whose best job
 * comes first; inside the account, to its first job in priority order that still has room.
 */
final class FairShare {
    /** A waiting job: its account, the account's weight and how many more of its tiles may go out now. */
    record Candidate(String jobId, String account, int weight, int room) {
    }

    private FairShare() {
    }

    /**
     * The job of each place handed out, in the order handed out (at most {@code free}, fewer when the jobs run out of
     * room).
     *
     * @param byPriority   the tier's waiting jobs, highest priority first
     * @param outByAccount tiles of each account out on the tier now; an account not present has none
     */
    static List<String> places(List<Candidate> byPriority, Map<String, Integer> outByAccount, int free) {
        Map<String, Line> lines = new LinkedHashMap<>();
        for (Candidate c : byPriority) {
            if (c.room() > 0) {
                lines.computeIfAbsent(c.account(), a -> new Line(lines.size(), Math.max(1, c.weight()), outByAccount.getOrDefault(a, 0)))
                        .jobs.add(new Room(c.jobId(), c.room()));
            }
        }
        PriorityQueue<Line> next = new PriorityQueue<>(lines.values());
        List<String> out = new ArrayList<>();
        while (out.size() < free && !next.isEmpty()) {
            Line line = next.poll();
            Room job = line.jobs.peekFirst();
            out.add(job.jobId);
            line.out++;
            if (--job.left == 0) {
                line.jobs.removeFirst();
            }
            if (!line.jobs.isEmpty()) {
                next.add(line);
            }
        }
        return out;
    }

    /** One job's remaining room in this pass. */
    private static final class Room {
        final String jobId;
        int left;

        Room(String jobId, int left) {
            this.jobId = jobId;
            this.left = left;
        }
    }

    /** One account's queue: its jobs by priority and its tiles out, counting the places handed out so far. */
    private static final class Line implements Comparable<Line> {
        final int rank;
        final int weight;
        long out;
        final Deque<Room> jobs = new ArrayDeque<>();

        Line(int rank, int weight, int out) {
            this.rank = rank;
            this.weight = weight;
            this.out = out;
        }

        @Override
        public int compareTo(Line o) {
            // out / weight compared without division
            int share = Long.compare(out * o.weight, o.out * weight);
            return share != 0 ? share : Integer.compare(rank, o.rank);
        }
    }
}
