package farm.render.e2e;

import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.LocalStack;
import farm.render.stack.services.FarmLayout;

import java.io.IOException;
import java.nio.file.Files;

/**
 * A local stack of a test's own, with no worker of its own (so the workers the test starts are the only members of the
 * share group), the operator's client, and the Cornell box uploaded.
 */
record OwnStack(LocalStack stack, FarmClient client, String scene) implements AutoCloseable {
    static OwnStack start(String name) throws IOException {
        FarmLayout layout = FarmLayout.locate();
        LocalStack stack = LocalStack.start(layout, new LocalStack.Options(Files.createTempDirectory(name), 0, 30_000),
                System.out::println);
        FarmClient client = new FarmClient(stack.coordinatorUrl(), stack.operatorToken());
        return new OwnStack(stack, client, client.uploadScene(layout.sample("cornell-box/cornell-box.gltf")).path("digest").asText());
    }

    @Override
    public void close() {
        stack.close();
    }
}
