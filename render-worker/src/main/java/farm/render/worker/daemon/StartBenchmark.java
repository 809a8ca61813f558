package farm.render.worker.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The device score a worker measures at start, once per (device, renderer version, benchmark preset):
 * kept in {@value #FILE} in the worker's state directory, next to its key file.
 */
public final class StartBenchmark {
    public static final String FILE = "bench-scores.properties";

    /** Measures the score, in paths per second. */
    @FunctionalInterface
    public interface Measure {
        double paths() throws Exception;
    }

    /** A score and whether it was measured now or read from the state directory. */
    public record Score(double pathsPerSecond, boolean cached) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f paths/s", pathsPerSecond);
        }
    }

    private StartBenchmark() {
    }

    /**
     * The score kept for {@code device}, {@code rendererVersion} and {@code preset} in {@code stateDir}, else
     * measured and kept.
     *
     * @throws IOException when the state file cannot be read or written
     * @throws Exception   what {@code measure} throws
     */
    public static Score score(Path stateDir, String device, String rendererVersion, String preset, Measure measure) throws Exception {
        Path file = stateDir.resolve(FILE);
        Properties scores = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                scores.load(in);
            }
        }
        String key = device + " | " + rendererVersion + " | " + preset;
        String kept = scores.getProperty(key);
        if (kept != null) {
            try {
                return new Score(Double.parseDouble(kept), true);
            } catch (NumberFormatException e) {
                // an edited or damaged entry is measured again
            }
        }
        double measured = measure.paths();
        scores.setProperty(key, String.format(Locale.ROOT, "%.0f", measured));
        Files.createDirectories(stateDir);
        try (OutputStream out = Files.newOutputStream(file)) {
            scores.store(out, "device score in paths per second, by device, renderer version and benchmark preset");
        }
        return new Score(measured, false);
    }
}
