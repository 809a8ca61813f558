package farm.render.coordinator.intake;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.IsolatedImport;

import java.io.IOException;

/** Turns an uploaded file into the canonical scene package and the source's counts; the intake's only view of the importer. */
public interface SceneCompiler {
    IsolatedImport.Compiled compile(byte[] source, String extension) throws InvalidSceneException, IOException;
}
