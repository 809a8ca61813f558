package farm.render.worker.cli;

import java.util.Optional;

/**
 * What {@code bench scenes} measured of one generated scene. A step that did not run or failed is empty, and
 * its reason is in the step's {@code note}.
 *
 * @param label     the size asked for ("10k", "5m", "forest")
 * @param triangles the scene's triangles as a renderer sees them (every instance counted)
 * @param glbBytes  the generated file's size
 */
record SceneRow(String label, String description, long triangles, long glbBytes, Intake intake, Step<Render> render,
                Step<Whole> whole, Step<CyclesRun.Result> cycles) {

    /** The coordinator's import of the file: accepted with its package, or refused with the reason it gives the artist. */
    record Intake(boolean accepted, long packageBytes, long triangles, double seconds, long childPeakRssBytes, String refusal) {
        double bytesPerTriangle() {
            return triangles == 0 ? 0 : (double) packageBytes / triangles;
        }

        double secondsPerMillion() {
            return seconds / Math.max(1e-9, triangles / 1e6);
        }
    }

    /** The worker's render of the package: the one-pixel upload first, then the frame as tiles; CPU time is the whole process's. */
    record Render(String device, double uploadSeconds, double renderSeconds, double cpuSeconds, long paths, long peakRssBytes) {
        double pathsPerSecond() {
            return paths / Math.max(1e-9, renderSeconds);
        }

        double pathsPerCpuSecond() {
            return paths / Math.max(1e-9, cpuSeconds);
        }
    }

    /** The local render command on the scene file, from a cold JVM: import, upload and render, PNG written. */
    record Whole(double seconds, long peakRssBytes) {
    }

    /** A measurement, or why there is none. */
    record Step<T>(Optional<T> value, String note) {
        static <T> Step<T> of(T value) {
            return new Step<>(Optional.of(value), "");
        }

        static <T> Step<T> none(String note) {
            return new Step<>(Optional.empty(), note);
        }
    }
}
