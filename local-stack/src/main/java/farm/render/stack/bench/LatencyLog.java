package farm.render.stack.bench;

import java.util.Arrays;

/** Dispatch latencies in milliseconds from many threads, and their percentiles. */
final class LatencyLog {
    private long[] values = new long[4096];
    private int size;

    synchronized void add(long millis) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = millis;
    }

    synchronized int count() {
        return size;
    }

    /** The q-quantile (0..1) by nearest rank; -1 when empty. */
    synchronized long quantile(double q) {
        if (size == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }
}
