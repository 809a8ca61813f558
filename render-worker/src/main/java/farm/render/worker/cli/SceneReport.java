package farm.render.worker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** How {@code bench scenes} prints: a block per scene as it finishes, then one Markdown table of all of them. */
final class SceneReport {
    private SceneReport() {
    }

    /** The date, the machine's processor, cores and memory, the JVM: what a figure needs to be compared. */
    static String machine() {
        String cpu = "unknown processor";
        long memory = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            // not Linux: the JVM's own figures below
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return String.format(Locale.ROOT, "%s, %s, %s, %d cores, %.1f GB memory, Java %s", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                host, cpu, Runtime.getRuntime().availableProcessors(), memory / 1e9, System.getProperty("java.version"));
    }

    static void block(PrintWriter out, SceneRow row, String load) {
        out.printf(Locale.ROOT, "%nscene %s: %s, %d triangles, GLB %s (load average %s)%n", row.label(), row.description(), row.triangles(),
                SceneGoals.mb(row.glbBytes()), load);
        SceneRow.Intake in = row.intake();
        if (in.accepted()) {
            out.printf(Locale.ROOT, "  intake: accepted, %d triangles stored, package %s = %.1f B/triangle, %.1f s (%.2f s per million),"
                            + " import child peak RSS %s%n", in.triangles(), SceneGoals.mb(in.packageBytes()), in.bytesPerTriangle(), in.seconds(),
                    in.secondsPerMillion(), SceneGoals.mb(in.childPeakRssBytes()));
        } else {
            out.printf(Locale.ROOT, "  intake: REFUSED after %.1f s (import child peak RSS %s): %s%n", in.seconds(),
                    SceneGoals.mb(in.childPeakRssBytes()), in.refusal());
        }
        row.render().value().ifPresentOrElse(r -> out.printf(Locale.ROOT,
                        "  worker (package): %.0f paths/s, %.0f paths/cpu-s (median frame of %d paths in %.3f s, after %.2f s of upload),"
                                + " peak RSS %s, on %s%n", r.pathsPerSecond(), r.pathsPerCpuSecond(), r.paths(), r.renderSeconds(), r.uploadSeconds(),
                        SceneGoals.mb(r.peakRssBytes()), r.device()),
                () -> out.println("  worker (package): not rendered: " + row.render().note()));
        row.whole().value().ifPresentOrElse(w -> out.printf(Locale.ROOT, "  render command (file, cold JVM): %.1f s, peak RSS %s%n",
                w.seconds(), SceneGoals.mb(w.peakRssBytes())), () -> out.println("  render command (file, cold JVM): failed: " + row.whole().note()));
        row.cycles().value().ifPresentOrElse(c -> out.printf(Locale.ROOT,
                        "  Cycles (whole blender command): %.1f s (glTF import %.1f s, render %.1f s), peak RSS %s%s%n", c.seconds(),
                        c.importSeconds(), c.renderSeconds(), SceneGoals.mb(c.peakRssBytes()), row.whole().value()
                                .map(w -> String.format(Locale.ROOT, "; render command / Cycles = %.2f", w.seconds() / c.seconds())).orElse("")),
                () -> out.println("  Cycles: " + row.cycles().note()));
        out.flush();
    }

    static void table(PrintWriter out, List<SceneRow> rows) {
        out.println("| scene | triangles | GLB | intake | package B/triangle | intake s (s per M) | import child RSS | worker paths/s (per CPU-s)"
                + " | worker RSS | render command | its RSS | Cycles (whole command) | Cycles RSS | render command / Cycles |");
        out.println("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (SceneRow row : rows) {
            SceneRow.Intake in = row.intake();
            String intake = in.accepted() ? "accepted" : "refused: " + in.refusal().replace("|", "/");
            String perTriangle = in.accepted() ? f("%.1f", in.bytesPerTriangle()) : "";
            String seconds = in.accepted() ? f("%.1f (%.2f)", in.seconds(), in.secondsPerMillion()) : f("%.1f", in.seconds());
            String paths = row.render().value().map(r -> f("%.0f (%.0f)", r.pathsPerSecond(), r.pathsPerCpuSecond())).orElse("");
            String workerRss = row.render().value().map(r -> SceneGoals.mb(r.peakRssBytes())).orElse("");
            String whole = row.whole().value().map(w -> f("%.1f s", w.seconds())).orElse("failed: " + row.whole().note().replace("|", "/"));
            String wholeRss = row.whole().value().map(w -> SceneGoals.mb(w.peakRssBytes())).orElse("");
            String cycles = row.cycles().value().map(c -> f("%.1f s", c.seconds())).orElse(row.cycles().note().replace("|", "/"));
            String cyclesRss = row.cycles().value().map(c -> SceneGoals.mb(c.peakRssBytes())).orElse("");
            String ratio = row.whole().value().flatMap(w -> row.cycles().value().map(c -> f("%.2f", w.seconds() / c.seconds()))).orElse("");
            out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", row.label(), row.triangles(),
                    SceneGoals.mb(row.glbBytes()), intake, perTriangle, seconds, SceneGoals.mb(in.childPeakRssBytes()), paths, workerRss, whole,
                    wholeRss, cycles, cyclesRss, ratio);
        }
        out.flush();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
