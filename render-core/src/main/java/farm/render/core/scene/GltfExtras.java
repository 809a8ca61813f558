package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scene-level settings glTF has no core field for, read from {@code extras} on the default scene or
 * the document: the uniform environment radiance as {@code "environment": [r, g, b]} (linear RGB), and
 * for animation {@code "frameRate"} (frames per second) and {@code "frameStart"} (the farm frame that
 * shows time 0). Assimp does not expose document extras, so they are read from the glTF document ({@link GltfDocument}).
 */
final class GltfExtras {
    private GltfExtras() {
    }

    /** The environment radiance the document asks for; black when it names none or there is no glTF document. */
    static Rgb environment(GltfDocument document) {
        if (document == null) {
            return Rgb.BLACK;
        }
        JsonNode doc = document.json();
        int sceneIndex = doc.path("scene").asInt(0);
        Rgb fromScene = rgb(doc.path("scenes").path(sceneIndex).path("extras").path("environment"));
        return fromScene != null ? fromScene : rgbOrBlack(doc.path("extras").path("environment"));
    }

    /** The frame rate the file asks for, or the default when it names none or a value out of range. */
    static float frameRate(JsonNode doc) {
        double rate = extra(doc, "frameRate").asDouble(Animation.DEFAULT_FRAME_RATE);
        return rate > 0 && rate <= Animation.MAX_FRAME_RATE ? (float) rate : Animation.DEFAULT_FRAME_RATE;
    }

    /** The farm frame that shows time 0, or the default. */
    static int frameStart(JsonNode doc) {
        JsonNode start = extra(doc, "frameStart");
        return start.canConvertToInt() && start.asInt() >= 0 ? start.asInt() : Animation.DEFAULT_FRAME_START;
    }

    private static JsonNode extra(JsonNode doc, String name) {
        JsonNode fromScene = doc.path("scenes").path(doc.path("scene").asInt(0)).path("extras").path(name);
        return fromScene.isMissingNode() ? doc.path("extras").path(name) : fromScene;
    }

    private static Rgb rgbOrBlack(JsonNode node) {
        Rgb c = rgb(node);
        return c == null ? Rgb.BLACK : c;
    }

    private static Rgb rgb(JsonNode node) {
        if (!node.isArray() || node.size() != 3 || !node.get(0).isNumber() || !node.get(1).isNumber() || !node.get(2).isNumber()) {
            return null;
        }
        Rgb c = new Rgb((float) node.get(0).asDouble(), (float) node.get(1).asDouble(), (float) node.get(2).asDouble());
        return c.isFinite() ? new Rgb(Math.max(0, c.r()), Math.max(0, c.g()), Math.max(0, c.b())) : null;
    }
}
