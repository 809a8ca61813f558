package farm.render.worker.render;

/**
 * The numbers the renderer needs of an uploaded scene (push constants, pipeline features, its device bytes), kept
 * instead of the packed buffers so the host drops its copy once the device holds the scene.
 */
record SceneFacts(int nodeCount, int lightCount, float totalLightArea, int punctualCount, int features, long deviceBytes) {
}
