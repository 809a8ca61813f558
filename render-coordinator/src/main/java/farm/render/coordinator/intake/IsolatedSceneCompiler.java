package farm.render.coordinator.intake;

import farm.render.coordinator.FarmConfig;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.IsolatedImport;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;

/** Imports in a child JVM with the configured heap, time and output limits: native import code never runs here. */
@ApplicationScoped
public class IsolatedSceneCompiler implements SceneCompiler {
    private final IsolatedImport isolatedImport;

    public IsolatedSceneCompiler(FarmConfig config) {
        FarmConfig.Intake intake = config.intake();
        this.isolatedImport = new IsolatedImport(intake.importClasspath().orElseGet(IsolatedImport::defaultClasspath),
                intake.importHeapMb(), intake.importTimeLimit(), intake.importMaxOutputBytes());
    }

    @Override
    public byte[] compile(byte[] source, String extension) throws InvalidSceneException, IOException {
        return isolatedImport.compile(source, extension);
    }
}
