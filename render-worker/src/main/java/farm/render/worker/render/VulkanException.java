package farm.render.worker.render;

/** A Vulkan call failed; {@link #result()} is its VkResult. */
public final class VulkanException extends RuntimeException {
    private final int result;

    VulkanException(String call, int result) {
        super(call + " failed: " + VkResults.name(result) + " (" + result + ")");
        this.result = result;
    }

    public int result() {
        return result;
    }
}
