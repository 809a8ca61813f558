package farm.render.worker.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The goals production-size scenes are held to, judged on {@code bench scenes}' rows: each line says met,
 * missed or not measured, with the figures it was judged on. A refused scene misses the goals it could not
 * be measured for, so a limit never passes for a result.
 */
final class SceneGoals {
    static final double MAX_PACKAGE_BYTES_PER_TRIANGLE = 48;
    static final double MAX_INTAKE_SECONDS_PER_MILLION = 1.0;
    /** Intake is judged on scenes from this size up, where the fixed cost of a child JVM no longer dominates. */
    static final long INTAKE_FROM_TRIANGLES = 1_000_000;
    static final double MIN_PATHS_RATIO = 0.5;
    static final String SMALL = "10k";
    static final String LARGE = "5m";

    private SceneGoals() {
    }

    static List<String> judge(List<SceneRow> rows) {
        return List.of(packageSize(rows), intake(rows), throughput(rows), againstCycles(rows), workerMemory(rows));
    }

    private static String packageSize(List<SceneRow> rows) {
        List<String> over = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        double worst = 0;
        for (SceneRow row : rows) {
            if (!row.intake().accepted()) {
                refused.add(row.label());
            } else {
                worst = Math.max(worst, row.intake().bytesPerTriangle());
                if (row.intake().bytesPerTriangle() > MAX_PACKAGE_BYTES_PER_TRIANGLE) {
                    over.add(row.label() + " " + fmt("%.1f", row.intake().bytesPerTriangle()));
                }
            }
        }
        String goal = "package at most " + fmt("%.0f", MAX_PACKAGE_BYTES_PER_TRIANGLE) + " B per triangle";
        if (over.isEmpty() && refused.isEmpty()) {
            return line(goal, "met", "largest " + fmt("%.1f", worst) + " B");
        }
        return line(goal, "missed", (over.isEmpty() ? "" : "over: " + String.join(", ", over) + " B")
                + (over.isEmpty() || refused.isEmpty() ? "" : "; ") + (refused.isEmpty() ? "" : "refused: " + String.join(", ", refused)));
    }

    private static String intake(List<SceneRow> rows) {
        String goal = "intake at most about " + fmt("%.1f", MAX_INTAKE_SECONDS_PER_MILLION) + " s per million triangles (scenes of "
                + INTAKE_FROM_TRIANGLES / 1_000_000 + "M up)";
        List<String> figures = new ArrayList<>();
        boolean met = true;
        for (SceneRow row : rows) {
            // Stored triangles are what an import reads and builds over; an instanced forest stores one tree.
            long stored = row.intake().accepted() ? row.intake().triangles() : row.triangles();
            if (stored < INTAKE_FROM_TRIANGLES) {
                continue;
            }
            if (!row.intake().accepted()) {
                figures.add(row.label() + " refused");
                met = false;
            } else {
                double perMillion = row.intake().secondsPerMillion();
                figures.add(row.label() + " " + fmt("%.2f", perMillion) + " s/M");
                met &= perMillion <= MAX_INTAKE_SECONDS_PER_MILLION;
            }
        }
        if (figures.isEmpty()) {
            return line(goal, "not measured", "no scene of that size");
        }
        return line(goal, met ? "met" : "missed", String.join(", ", figures));
    }

    private static String throughput(List<SceneRow> rows) {
        String goal = "paths/s at " + LARGE + " at least " + fmt("%.1f", MIN_PATHS_RATIO) + "x the " + SMALL + " figure";
        Optional<SceneRow.Render> small = render(rows, SMALL);
        Optional<SceneRow.Render> large = render(rows, LARGE);
        if (small.isEmpty() || large.isEmpty()) {
            return line(goal, "not measured", "needs rendered " + SMALL + " and " + LARGE + " rows" + refusedNote(rows, LARGE));
        }
        double ratio = large.get().pathsPerSecond() / small.get().pathsPerSecond();
        // per CPU second too: on a loaded machine the wall-time figures of two scenes swing apart with the load
        double cpuRatio = large.get().pathsPerCpuSecond() / small.get().pathsPerCpuSecond();
        return line(goal, ratio >= MIN_PATHS_RATIO ? "met" : "missed", fmt("%.2fx", ratio) + " (" + fmt("%.0f", large.get().pathsPerSecond())
                + " against " + fmt("%.0f", small.get().pathsPerSecond()) + " paths/s); per CPU second " + fmt("%.2fx", cpuRatio));
    }

    private static String againstCycles(List<SceneRow> rows) {
        String goal = "the whole command at " + LARGE + " no slower than Cycles";
        Optional<SceneRow> row = rows.stream().filter(r -> r.label().equals(LARGE)).findFirst();
        if (row.isEmpty()) {
            return line(goal, "not measured", "no " + LARGE + " row");
        }
        if (row.get().whole().value().isEmpty() || row.get().cycles().value().isEmpty()) {
            return line(goal, "not measured", (row.get().whole().value().isEmpty() ? "render command: " + row.get().whole().note()
                    : "Cycles: " + row.get().cycles().note()));
        }
        double ours = row.get().whole().value().get().seconds();
        double cycles = row.get().cycles().value().get().seconds();
        return line(goal, ours <= cycles ? "met" : "missed", fmt("%.1f s against %.1f s", ours, cycles) + ", " + fmt("%.2fx", ours / cycles));
    }

    /**
     * Worker RSS at most twice the package plus a fixed part: the fixed part is what the smallest rendered scene
     * needed besides twice its package (the JVM, the driver, the frame), the rest must scale with the package.
     */
    private static String workerMemory(List<SceneRow> rows) {
        String goal = "worker peak RSS at most 2x the package plus a fixed part";
        List<SceneRow> rendered = rows.stream().filter(r -> r.render().value().isPresent()).toList();
        if (rendered.size() < 2) {
            return line(goal, "not measured", "needs two rendered scenes");
        }
        SceneRow smallest = rendered.stream().min((a, b) -> Long.compare(a.intake().packageBytes(), b.intake().packageBytes())).orElseThrow();
        long fixed = smallest.render().value().get().peakRssBytes() - 2 * smallest.intake().packageBytes();
        List<String> figures = new ArrayList<>();
        boolean met = true;
        for (SceneRow row : rendered) {
            if (row == smallest) {
                continue;
            }
            long rss = row.render().value().get().peakRssBytes();
            long allowed = 2 * row.intake().packageBytes() + fixed;
            met &= rss <= allowed;
            figures.add(row.label() + " " + mb(rss) + " of " + mb(allowed) + " allowed");
        }
        return line(goal, met ? "met" : "missed", "fixed part " + mb(fixed) + " (" + smallest.label() + "); "
                + String.join(", ", figures) + refusedNote(rows, null));
    }

    private static Optional<SceneRow.Render> render(List<SceneRow> rows, String label) {
        return rows.stream().filter(r -> r.label().equals(label)).findFirst().flatMap(r -> r.render().value());
    }

    private static String refusedNote(List<SceneRow> rows, String label) {
        List<String> refused = rows.stream().filter(r -> (label == null || r.label().equals(label)) && !r.intake().accepted())
                .map(SceneRow::label).toList();
        return refused.isEmpty() ? "" : "; not rendered, refused at intake: " + String.join(", ", refused);
    }

    static String mb(long bytes) {
        return fmt(bytes < 10_000_000 ? "%.2f MB" : "%.0f MB", bytes / 1e6);
    }

    private static String line(String goal, String verdict, String detail) {
        return "goal: " + goal + ": " + verdict.toUpperCase(Locale.ROOT) + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
