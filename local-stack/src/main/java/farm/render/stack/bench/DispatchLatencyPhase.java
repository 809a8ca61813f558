package farm.render.stack.bench;

import java.time.Duration;

/**
 * The dispatch latency phase: one-frame jobs submitted a second apart to an idle farm, each record's time from the
 * coordinator's producer to the claim's answer logged by the simulated workers.
 */
final class DispatchLatencyPhase {
    private DispatchLatencyPhase() {
    }

    /** Submits {@code jobs} one-frame jobs and waits for all their tickets to be taken; the latencies of those tickets. */
    static LatencyLog run(LoadFarm farm, SimulatedWorkers workers, int jobs) throws Exception {
        System.out.println("dispatch latency: " + jobs + " one-frame jobs (" + LoadFarm.TILES_PER_FRAME + " tiles), one a second…");
        LatencyLog idle = new LatencyLog();
        workers.recordInto(idle);
        long before = workers.received();
        for (int j = 0; j < jobs; j++) {
            long next = System.nanoTime() + 1_000_000_000L;
            farm.submit(1);
            sleepUntil(next);
        }
        Polling.await(() -> workers.received() - before >= (long) LoadFarm.TILES_PER_FRAME * jobs, Duration.ofSeconds(60));
        workers.stopRecording();
        return idle;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
