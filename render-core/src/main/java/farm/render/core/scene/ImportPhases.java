package farm.render.core.scene;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Seconds an import child spends in each of its steps, appended as one line to the file that the environment
 * variable {@link IsolatedImport#PHASES_VARIABLE} names, so intake can be profiled without touching the child's
 * output stream. Without the variable nothing is measured or written.
 */
final class ImportPhases {
    private final Path file;
    private final StringBuilder line = new StringBuilder();
    private long last = System.nanoTime();

    private ImportPhases(Path file) {
        this.file = file;
        if (file != null) {
            add("jvm", ManagementFactory.getRuntimeMXBean().getUptime() / 1e3); // the JVM's start to here: boot and class loading
        }
    }

    static ImportPhases fromEnvironment() {
        String named = System.getenv(IsolatedImport.PHASES_VARIABLE);
        return to(named == null || named.isBlank() ? null : Path.of(named));
    }

    /** Steps timed into {@code file}; none when it is null. */
    static ImportPhases to(Path file) {
        return new ImportPhases(file);
    }

    /** Ends the step called {@code name}, begun when the previous one ended. */
    void step(String name) {
        if (file != null) {
            long now = System.nanoTime();
            add(name, (now - last) / 1e9);
            last = now;
        }
    }

    /** Appends the line, with the collector's and the compiler's time; a file that cannot be written loses only the line. */
    void write(int triangles, long heapMb) {
        if (file == null) {
            return;
        }
        long gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMs += Math.max(0, gc.getCollectionTime());
        }
        add("gc", gcMs / 1e3);
        add("jit", ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3);
        line.append(" rss ").append(peakRssMb()).append(" MiB");
        line.insert(0, String.format(Locale.ROOT, "%d triangles, heap %d MiB:", triangles, heapMb));
        try {
            Files.writeString(file, line.append('\n'), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("phase times not written: " + e.getMessage());
        }
    }

    /** The process's peak resident memory (VmHWM), or -1 where /proc does not say. */
    private static long peakRssMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the line goes without it
        }
        return -1;
    }

    private void add(String name, double seconds) {
        line.append(String.format(Locale.ROOT, " %s %.3f", name, seconds));
    }
}
