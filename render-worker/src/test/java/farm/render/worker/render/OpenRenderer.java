package farm.render.worker.render;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A renderer on whatever Vulkan device the machine has, opened once for a test class and closed after it. */
final class OpenRenderer implements BeforeAllCallback, AfterAllCallback {
    private VulkanRenderer renderer;

    VulkanRenderer get() {
        return renderer;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        renderer = VulkanRenderer.open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (renderer != null) {
            renderer.close();
        }
    }
}
