package farm.render.worker.render;

import farm.render.core.scene.Camera;
import farm.render.core.scene.Scene;
import java.nio.ByteBuffer;
import org.joml.Vector3fc;

/** The push-constant block of scene.glsl ({@code Params}), written field by field in its std430 order. */
final class PushConstants {
    static final int SIZE = 4 * 16 + 16 * 4;
    /** Bit of the maxBounces word that turns light sampling off (BSDF sampling only), for tests. */
    static final int NO_LIGHT_SAMPLING = 1 << 16;

    private PushConstants() {
    }

    /** Fills everything but the per-dispatch pixel range. */
    static void write(ByteBuffer out, Scene scene, FrameRequest request, SceneFacts packed, boolean lightSampling) {
        Camera camera = scene.camera();
        float tanHalfFov = (float) Math.tan(camera.verticalFovRadians() / 2.0);
        float aspect = (float) request.imageWidth() / request.imageHeight();
        Vector3fc right = camera.right();
        putVec4(out, 0, camera.position(), tanHalfFov);
        putVec4(out, 16, camera.forward(), aspect);
        putVec4(out, 32, right, 0);
        putVec4(out, 48, camera.up(), 0);
        out.putInt(64, request.imageWidth());
        out.putInt(68, request.imageHeight());
        out.putInt(72, request.spp());
        out.putInt(76, request.maxBounces() | (lightSampling ? 0 : NO_LIGHT_SAMPLING));
        out.putInt(80, (int) request.seed());
        out.putInt(84, (int) (request.seed() >>> 32));
        out.putInt(88, request.frame());
        out.putInt(100, packed.nodeCount());
        out.putInt(104, packed.lightCount());
        out.putFloat(108, packed.totalLightArea());
        out.putInt(112, packed.punctualCount());
        out.putFloat(124, request.clampIndirect());
    }

    static void setRange(ByteBuffer out, int pixelOffset, int pixelCount) {
        out.putInt(92, pixelOffset);
        out.putInt(96, pixelCount);
    }

    static void setSamples(ByteBuffer out, int sampleOffset, int sampleCount) {
        out.putInt(116, sampleOffset);
        out.putInt(120, sampleCount);
    }

    private static void putVec4(ByteBuffer out, int offset, Vector3fc v, float w) {
        out.putFloat(offset, v.x()).putFloat(offset + 4, v.y()).putFloat(offset + 8, v.z()).putFloat(offset + 12, w);
    }
}
