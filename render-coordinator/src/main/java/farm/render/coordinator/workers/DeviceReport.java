package farm.render.coordinator.workers;

import java.time.Instant;

/**
 * What a worker last said about the device it renders on: the device's name, its score from the worker's
 * start benchmark in paths per second (0 when the worker skipped the benchmark), the renderer version
 * that measured it, and when the report arrived.
 */
public record DeviceReport(String name, double pathsPerSecond, String rendererVersion, Instant reportedAt) {
}
