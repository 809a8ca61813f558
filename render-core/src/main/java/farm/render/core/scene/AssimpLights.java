package farm.render.core.scene;

import org.joml.Matrix4fc;
import org.joml.Vector3f;
import org.lwjgl.assimp.AIColor3D;
import org.lwjgl.assimp.AILight;
import org.lwjgl.assimp.AIScene;

import java.util.ArrayList;
import java.util.List;

import static org.lwjgl.assimp.Assimp.*;

/** The scene's punctual lights from Assimp's light list, in world space. */
final class AssimpLights {
    private AssimpLights() {
    }

    /** KHR_lights_punctual lights (and their equivalents in other formats), placed by their node's transform. */
    static List<PunctualLight> of(AIScene ai, SceneNodes nodes, List<String> unsupported, SceneGraph graph) {
        List<PunctualLight> lights = new ArrayList<>();
        for (int i = 0; i < ai.mNumLights(); i++) {
            AILight light = AILight.create(ai.mLights().get(i));
            String name = light.mName().dataString();
            int node = graph.indexOf(name);
            if (node >= 0 && graph.animated(node)) {
                unsupported.add("light '" + name + "' hangs from an animated node: it stays where it rests");
            }
            Matrix4fc world = nodes.worldTransform(name);
            Vector3f position = world.transformPosition(light.mPosition().x(), light.mPosition().y(), light.mPosition().z(), new Vector3f());
            Vector3f direction = world.transformDirection(light.mDirection().x(), light.mDirection().y(), light.mDirection().z(),
                    new Vector3f());
            AIColor3D c = light.mColorDiffuse();
            Rgb intensity = new Rgb(Math.max(0, c.r()), Math.max(0, c.g()), Math.max(0, c.b()));
            if (!position.isFinite() || !direction.isFinite() || !intensity.isFinite() || lights.size() >= ScenePackage.MAX_LIGHTS) {
                unsupported.add("light '" + name + "' is degenerate or beyond the light limit: left out");
                continue;
            }
            switch (light.mType()) {
                case aiLightSource_POINT -> lights.add(PunctualLight.point(position, intensity));
                case aiLightSource_DIRECTIONAL -> {
                    if (direction.length() > 0) {
                        lights.add(PunctualLight.directional(direction, intensity));
                    }
                }
                case aiLightSource_SPOT -> {
                    // Assimp reports half-angles from the axis, as glTF's innerConeAngle and outerConeAngle.
                    float outer = Math.min((float) Math.PI / 2, Math.max(1e-4f, light.mAngleOuterCone()));
                    float inner = Math.min(outer, Math.max(0f, light.mAngleInnerCone()));
                    if (direction.length() > 0) {
                        lights.add(new PunctualLight(PunctualLight.Kind.SPOT, position, direction, intensity, inner, outer));
                    }
                }
                default -> unsupported.add("light '" + name + "' of type " + light.mType() + ": only point, spot and directional lights");
            }
        }
        return lights;
    }
}
