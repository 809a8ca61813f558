package farm.render.e2e;

import farm.render.stack.launcher.LocalStack;
import farm.render.stack.services.FarmLayout;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One local stack (one worker) shared by every test class that extends with it, started on first use and
 * stopped when the test run ends: the studio and browser tests need a farm, not a farm each.
 */
public final class SharedFarm implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedFarm.class);
    private static volatile Running running;

    /** The stack; closed by JUnit at the end of the run. */
    @SuppressWarnings("deprecation") // CloseableResource: JUnit closes root-store values that implement it
    static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final FarmLayout layout;
        final LocalStack stack;
        final Path workDir;

        Running() {
            try {
                layout = FarmLayout.locate();
                workDir = Files.createTempDirectory("farm-shared");
                stack = LocalStack.start(layout, new LocalStack.Options(workDir, 1, 30_000), System.out::println);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            stack.close();
            try {
                deleteTree(workDir);
            } catch (IOException e) {
                System.out.println("left " + workDir + " behind: " + e);
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> new Running(), Running.class);
    }

    /** Removes a folder and everything in it (test scratch space: databases, objects, logs). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static LocalStack stack() {
        return running.stack;
    }

    public static FarmLayout layout() {
        return running.layout;
    }

    public static String url() {
        return running.stack.coordinatorUrl();
    }
}
