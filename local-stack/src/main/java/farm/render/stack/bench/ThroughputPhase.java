package farm.render.stack.bench;

import java.time.Duration;

/**
 * The throughput phase: one job of many frames taken, claimed and answered by the simulated workers while the harness
 * verifier holds every verdict; then all pass verdicts are released at once and the coordinator's ingest and payments
 * are timed until every tile is paid, with its CPU and memory sampled.
 */
final class ThroughputPhase {
    /** What the phase measured; {@link #ingestPerSecond()} is the benchmark's headline. */
    record Result(int tiles, double submitSeconds, double workSeconds, LatencyLog backlog, long failures, long refused,
                  String claims, long paid, double drainSeconds, PaymentReadings.Span span, long ledgerEntries,
                  double cpuSeconds, double peakRssMiB) {
        /** Tiles paid per second from the release of the verdicts to the last payment seen. */
        double ingestPerSecond() {
            // batches of payments share a transaction's timestamp, so the headline is the harness's own clock
            return paid / drainSeconds;
        }
    }

    private ThroughputPhase() {
    }

    /** @param timeout how long the results may take to come in, and again how long their payments may take */
    static Result run(LoadFarm farm, SimulatedWorkers workers, HarnessVerifier verifier, int frames, Duration timeout) throws Exception {
        int tiles = frames * LoadFarm.TILES_PER_FRAME;
        System.out.println("throughput: one job of " + frames + " frames (" + tiles + " tiles)…");
        LatencyLog backlog = new LatencyLog();
        workers.recordInto(backlog);
        ProcessSampler cpu = new ProcessSampler(farm.coordinatorPid());
        verifier.hold();
        long s0 = System.nanoTime();
        String jobId = farm.submit(frames);
        double submitSeconds = (System.nanoTime() - s0) / 1e9;
        Polling.await(() -> verifier.held() >= tiles, timeout);
        double workSeconds = (System.nanoTime() - s0) / 1e9;
        workers.stopRecording();
        System.out.println("  all " + tiles + " results in; releasing " + verifier.held() + " pass verdicts at once…");
        double cpu0 = cpu.cpuSeconds();
        long r0 = System.nanoTime();
        verifier.release();
        double peakRss = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        long paid = 0;
        long shown = System.nanoTime();
        while (System.nanoTime() < deadline) {
            peakRss = Math.max(peakRss, cpu.rssMiB());
            paid = farm.payments().paidCount(jobId);
            if (paid >= tiles) {
                break;
            }
            if (System.nanoTime() - shown > 5_000_000_000L) {
                shown = System.nanoTime();
                System.out.printf("  %d/%d tiles paid, %.0f tiles/s%n", paid, tiles, paid / ((shown - r0) / 1e9));
            }
            Thread.sleep(50); // sampling interval of the progress and memory readings
        }
        double wall = (System.nanoTime() - r0) / 1e9;
        double cpuUsed = cpu.cpuSeconds() - cpu0;
        PaymentReadings.Span span = farm.payments().span(jobId);
        long entries = farm.payments().ledgerEntries(span);
        return new Result(tiles, submitSeconds, workSeconds, backlog, workers.failures(), workers.refused(), workers.claimSummary(),
                paid, wall, span, entries, cpuUsed, peakRss);
    }
}
