package farm.render.coordinator.intake;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.IsolatedImport;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns an uploaded file into the canonical scene package and the source's counts; the intake's only view
 * of the importer. The file is read from disk by the importer, never loaded whole into this JVM.
 */
public interface SceneCompiler {
    IsolatedImport.Compiled compile(Path source, String extension) throws InvalidSceneException, IOException;
}
