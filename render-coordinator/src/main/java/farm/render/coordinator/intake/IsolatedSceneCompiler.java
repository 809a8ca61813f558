package farm.render.coordinator.intake;

import farm.render.coordinator.FarmConfig;
import farm.render.core.scene.ImportHeap;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.IsolatedImport;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Imports in a child JVM with a heap sized from the upload (up to the configured ceiling) and the configured
 * time, triangle and package limits: native import code never runs here. At most {@code farm.intake.max-concurrent-imports} children run at once, so the memory
 * imports can take is bounded whatever arrives; an upload that cannot start within one import's time
 * limit is turned away as busy.
 */
@ApplicationScoped
public class IsolatedSceneCompiler implements SceneCompiler {
    private final IsolatedImport isolatedImport;
    private final Semaphore slots;
    private final Duration wait;

    public IsolatedSceneCompiler(FarmConfig config) {
        FarmConfig.Intake intake = config.intake();
        this.isolatedImport = new IsolatedImport(intake.importClasspath().orElseGet(IsolatedImport::defaultClasspath),
                new ImportHeap(intake.importHeapBaseMb(), intake.importHeapPerSourceByte(), Math.max(intake.importHeapBaseMb(), intake.importHeapMb())),
                intake.importTimeLimit(), new IsolatedImport.Limits(intake.maxTriangles(), intake.importMaxOutputBytes()));
        this.slots = new Semaphore(Math.max(1, intake.maxConcurrentImports()), true);
        this.wait = intake.importTimeLimit();
    }

    @Override
    public IsolatedImport.Compiled compile(Path source, String extension, Path packageFile) throws InvalidSceneException, IOException {
        try {
            if (!slots.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ImportsBusyException(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for an import slot", e);
        }
        try {
            return isolatedImport.compile(source, extension, packageFile);
        } finally {
            slots.release();
        }
    }

    /** Every import slot stayed taken for a whole import's time limit. */
    public static final class ImportsBusyException extends RuntimeException {
        private final Duration waited;

        ImportsBusyException(Duration waited) {
            super("every import slot stayed busy for " + waited.toSeconds() + " s");
            this.waited = waited;
        }

        public Duration waited() {
            return waited;
        }
    }
}
