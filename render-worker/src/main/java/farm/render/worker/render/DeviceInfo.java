package farm.render.worker.render;

/** A Vulkan device this machine offers, as {@code ./farm worker} lists them. */
public record DeviceInfo(int index, String name, String type, boolean usable) {
    public boolean isCpu() {
        return type.equals("cpu");
    }

    @Override
    public String toString() {
        return "[" + index + "] " + name + " (" + type + (usable ? "" : ", no Vulkan 1.2 compute queue") + ")";
    }
}
