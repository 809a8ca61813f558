package farm.render.coordinator.workers;

import java.time.Instant;

/**
 * What a worker last said about the device it renders on: the device's name, its score from the worker's
 * start benchmark in paths per second (0 when the worker skipped the benchmark), the renderer version
 * that measured it, when the report arrived, and the device's numerical class (null when the worker did not report one).
 */
public record DeviceReport(String name, double pathsPerSecond, String rendererVersion, Instant reportedAt, String numericalClass) {
}
