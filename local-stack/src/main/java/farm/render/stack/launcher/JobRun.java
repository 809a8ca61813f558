package farm.render.stack.launcher;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** Follows a job to its end with a one-line progress bar: tiles verified, rate, ETA. */
public final class JobRun {
    private JobRun() {
    }

    public static JsonNode follow(FarmClient client, String jobId, Duration timeout, PrintStream out) throws IOException {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        boolean terminal = System.console() != null;
        JsonNode status = client.job(jobId);
        int shown = -1;
        while (status.path("state").asText().equals("RUNNING")) {
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("job " + jobId + " did not finish within " + timeout.toSeconds() + " s");
            }
            int verified = status.path("tiles").path("verified").asInt();
            if (terminal) {
                out.print("\r" + bar(status, Duration.between(start, Instant.now())));
                out.flush();
            } else if (verified != shown) {
                out.println(bar(status, Duration.between(start, Instant.now())).strip());
                shown = verified;
            }
            try {
                Thread.sleep(500); // a progress display's refresh interval, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            status = client.job(jobId);
        }
        out.println((terminal ? "\r" : "") + bar(status, Duration.between(start, Instant.now())).strip());
        return status;
    }

    static String bar(JsonNode status, Duration elapsed) {
        JsonNode tiles = status.path("tiles");
        int total = Math.max(1, tiles.path("total").asInt());
        int verified = tiles.path("verified").asInt();
        int width = 30;
        int filled = verified * width / total;
        double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
        double rate = verified / seconds;
        String eta = verified == 0 ? "--" : String.format("%.0f s", (total - verified) / rate);
        return String.format("[%s%s] %d/%d tiles verified, %.2f tiles/s, ETA %s, %s   ",
                "#".repeat(filled), ".".repeat(width - filled), verified, total, rate, eta, status.path("state").asText());
    }
}
