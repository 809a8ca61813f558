package farm.render.stack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The farm benchmark's report: each measure printed as it is made, then all of them as one Markdown table, the wall
 * time and the headline line {@code ingest=X/s dispatch_p99=Yms overhead=Z%}.
 */
final class FarmBenchReport {
    private record Row(String measure, String value) {
    }

    private final Instant started = Instant.now();
    private final List<Row> rows = new ArrayList<>();

    /** The machine the figures come from: its cores and how busy it was at the start. */
    void header() {
        System.out.println("farm benchmark  " + started + "  " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + loadAverage());
    }

    void registered(int identities, double seconds) {
        row("worker identities registered (POST /api/v1/workers, 4 clients)",
                String.format("%d in %.1f s (%.0f/s)", identities, seconds, identities / seconds));
    }

    void load(LatencyLog idle, ThroughputPhase.Result t, int identities, int threads) {
        LatencyLog backlog = t.backlog();
        PaymentReadings.Span span = t.span();
        row("dispatch: tickets published by one job submission",
                String.format("%d tickets in %.2f s = %.0f tickets/s (POST /api/v1/jobs: insert, publish)",
                        t.tiles(), t.submitSeconds(), t.tiles() / t.submitSeconds()));
        row("dispatch latency to the claim's answer, idle farm (" + idle.count() + " records)",
                String.format("p50 %d ms, p99 %d ms", idle.quantile(0.5), idle.quantile(0.99)));
        row("dispatch latency under the throughput job's backlog (" + backlog.count() + " records)",
                String.format("p50 %d ms, p99 %d ms", backlog.quantile(0.5), backlog.quantile(0.99)));
        row("simulated workers: tickets taken and claimed, tile PUT, signed result published",
                String.format("%d tiles in %.1f s = %.0f/s (%d failures, %d refused)", t.tiles(), t.workSeconds(),
                        t.tiles() / t.workSeconds(), t.failures(), t.refused()));
        row("claims (one request per poll batch of up to " + SimulatedWorkers.CLAIM_BATCH + " tickets: one read, one insert, sign and presign each)",
                t.claims());
        row("pass verdicts then published at once by the harness", String.valueOf(t.tiles()));
        row("tiles paid (tile_payments rows of the job)",
                String.format("%d of %d, %.1f s after the release", t.paid(), t.tiles(), t.drainSeconds()));
        row("ingest + payment rate, release of the verdicts to the last payment seen (50 ms polls)",
                String.format("%.0f tiles/s over %.2f s", t.ingestPerSecond(), t.drainSeconds()));
        row("ingest + payment rate, first to last payment (ledger timestamps)",
                String.format("%.0f tiles/s over %.2f s", span.perSecond(), span.seconds()));
        row("ledger entries per second over the same span",
                String.format("%.0f/s (%d entries)", t.ledgerEntries() / Math.max(span.seconds(), 1e-3), t.ledgerEntries()));
        double cores = t.cpuSeconds() / t.drainSeconds();
        row("coordinator CPU while it drained the verdicts",
                String.format("%.1f CPU s in %.1f s = %.2f cores (%.2f cores per 1,000 simulated workers)",
                        t.cpuSeconds(), t.drainSeconds(), cores, cores * 1000.0 / identities));
        row("coordinator RSS, peak while draining", String.format("%.0f MiB (%.0f MiB per 1,000 simulated workers; -Xmx512m)",
                t.peakRssMiB(), t.peakRssMiB() * 1000.0 / identities));
        row("simulated workers", identities + " identities on " + threads + " share consumers");
    }

    void overhead(OverheadPhase.Result o) {
        row("farm: " + o.frames() + " frames " + o.size() + "x" + o.size() + ", " + o.spp() + " spp, " + o.bounces()
                        + " bounces, 64x64 tiles, " + o.workers() + " real workers + verifier",
                String.format("%.1f s, submission to COMPLETED", o.farmSeconds()));
        row("./farm render, the same frames one after another",
                String.format("%.1f s (each a fresh JVM: start, Vulkan init, scene import)", o.localSeconds()));
        row("farm overhead (farm / local - 1)", String.format("%.1f%%", o.overhead() * 100));
    }

    /** The table, the wall time since the report began, and the headline; NaN or a negative latency reads n/a. */
    void print(double ingest, long p99, double overhead) {
        System.out.println();
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        for (Row r : rows) {
            System.out.printf("| %s | %s |%n", r.measure(), r.value());
        }
        System.out.println();
        System.out.printf("wall time %.0f s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        System.out.printf("ingest=%s/s dispatch_p99=%sms overhead=%s%%%n",
                Double.isNaN(ingest) ? "n/a" : String.format("%.0f", ingest),
                p99 < 0 ? "n/a" : String.valueOf(p99),
                Double.isNaN(overhead) ? "n/a" : String.format("%.1f", overhead * 100));
    }

    private void row(String measure, String value) {
        rows.add(new Row(measure, value));
        System.out.println("  " + measure + ": " + value);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
