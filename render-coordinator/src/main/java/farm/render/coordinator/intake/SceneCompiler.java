package farm.render.coordinator.intake;

import farm.render.core.scene.InvalidSceneException;

import java.io.IOException;

/** Turns an uploaded file into the canonical scene package; the intake's only view of the importer. */
public interface SceneCompiler {
    byte[] compile(byte[] source, String extension) throws InvalidSceneException, IOException;
}
