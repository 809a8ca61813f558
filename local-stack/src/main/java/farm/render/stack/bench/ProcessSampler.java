package farm.render.stack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of one Linux process, read from /proc. */
final class ProcessSampler {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final long pid;

    ProcessSampler(long pid) {
        this.pid = pid;
    }

    /** User plus system CPU seconds used so far; -1 when /proc cannot be read. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // fields 14 and 15
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size in MiB; -1 when /proc cannot be read. */
    double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return -1;
    }
}
