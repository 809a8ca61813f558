package farm.render.worker.daemon;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The device memory a worker lets one task use: {@code --vram-budget}, else {@link #DEFAULT_SHARE} of
 * the device's largest device-local heap. Every claim declares it, so the coordinator grants only tasks
 * whose job needs at most this ({@link farm.render.core.planning.DeviceMemoryNeed}); a task whose scene and
 * tile buffers, as packed here, still need more is released for a worker with a larger device.
 */
public record VramBudget(long bytes) {
    /** Share of the largest device-local heap used when no budget is given: the rest is left to the driver and the desktop. */
    public static final double DEFAULT_SHARE = 0.8;

    public VramBudget {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the device memory budget must be positive");
        }
    }

    /** {@code given}, else {@link #DEFAULT_SHARE} of {@code largestHeap}; no limit when neither is known. */
    public static VramBudget of(OptionalLong given, long largestHeap) {
        if (given.isPresent()) {
            return new VramBudget(given.getAsLong());
        }
        return new VramBudget(largestHeap > 0 ? Math.max(1, (long) (largestHeap * DEFAULT_SHARE)) : Long.MAX_VALUE);
    }

    /** This budget split evenly between {@code loops} task loops that render on the same device at once. */
    public VramBudget sharedBy(int loops) {
        return loops == 1 || bytes == Long.MAX_VALUE ? this : new VramBudget(Math.max(1, bytes / loops));
    }

    /** Empty when {@code needed} bytes fit; otherwise the line to log, saying why the task is refused and what to do. */
    public Optional<String> refusal(String taskId, String sceneDigest, long needed) {
        if (needed <= bytes) {
            return Optional.empty();
        }
        return Optional.of("releasing task " + taskId + ": scene " + sceneDigest + " needs " + ByteSize.format(needed)
                + " of device memory, the budget is " + ByteSize.format(bytes)
                + "; a worker with more device memory will take it (raise --vram-budget if this device has room)");
    }
}
