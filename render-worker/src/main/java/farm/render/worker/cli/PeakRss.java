package farm.render.worker.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The peak resident memory of other processes, read from Linux's {@code /proc/PID/status} (VmHWM, the
 * kernel's own high-water mark) every few milliseconds while they live: the last reading before a process
 * exits is its peak, short of what it grew in the final interval. Zero where /proc is missing.
 */
final class PeakRss implements AutoCloseable {
    private static final long INTERVAL_MS = 20;

    private final Supplier<Stream<ProcessHandle>> watched;
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakBytes;

    private PeakRss(Supplier<Stream<ProcessHandle>> watched) {
        this.watched = watched;
        this.sampler = new Thread(this::sample, "peak-rss");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Watches one process. */
    static PeakRss of(ProcessHandle process) {
        return new PeakRss(() -> Stream.of(process));
    }

    /** Watches every process this one starts, however deep, while the watch lasts. */
    static PeakRss ofDescendants() {
        return new PeakRss(() -> ProcessHandle.current().descendants());
    }

    /** The largest VmHWM seen of any one watched process, in bytes. */
    long peakBytes() {
        return peakBytes;
    }

    private void sample() {
        while (running) {
            watched.get().forEach(p -> peakBytes = Math.max(peakBytes, highWaterMark(p.pid())));
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** VmHWM of a process in bytes; 0 when it is gone or unreadable. */
    static long highWaterMark(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between the listing and the read
        }
        return 0;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
