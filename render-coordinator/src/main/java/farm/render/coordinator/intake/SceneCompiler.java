package farm.render.coordinator.intake;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.IsolatedImport;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns an uploaded file into the canonical scene package, written to {@code packageFile}, with its digest,
 * summary and thumbnail; the intake's only view of the importer. Neither the upload nor the package is ever
 * loaded whole into this JVM.
 */
public interface SceneCompiler {
    IsolatedImport.Compiled compile(Path source, String extension, Path packageFile) throws InvalidSceneException, IOException;
}
