package farm.render.worker.render;

import farm.render.core.scene.Camera;
import farm.render.core.scene.Vec3;
import java.nio.ByteBuffer;

/** The push-constant block of scene.glsl ({@code Params}), written field by field in its std430 order. */
final class PushConstants {
    static final int SIZE = 4 * 16 + 12 * 4;

    private PushConstants() {
    }

    /** Fills everything but the per-dispatch pixel range. */
    static void write(ByteBuffer out, Camera camera, FrameRequest request, PackedScene scene) {
        float tanHalfFov = (float) Math.tan(camera.verticalFovRadians() / 2.0);
        float aspect = (float) request.imageWidth() / request.imageHeight();
        Vec3 right = camera.forward().cross(camera.up()).normalized();
        putVec4(out, 0, camera.position(), tanHalfFov);
        putVec4(out, 16, camera.forward(), aspect);
        putVec4(out, 32, right, 0);
        putVec4(out, 48, camera.up(), 0);
        out.putInt(64, request.imageWidth());
        out.putInt(68, request.imageHeight());
        out.putInt(72, request.spp());
        out.putInt(76, request.maxBounces());
        out.putInt(80, (int) request.seed());
        out.putInt(84, (int) (request.seed() >>> 32));
        out.putInt(88, request.frame());
        out.putInt(100, scene.nodeCount());
        out.putInt(104, scene.lightCount());
        out.putFloat(108, scene.totalLightArea());
    }

    static void setRange(ByteBuffer out, int pixelOffset, int pixelCount) {
        out.putInt(92, pixelOffset);
        out.putInt(96, pixelCount);
    }

    private static void putVec4(ByteBuffer out, int offset, Vec3 v, float w) {
        out.putFloat(offset, v.x()).putFloat(offset + 4, v.y()).putFloat(offset + 8, v.z()).putFloat(offset + 12, w);
    }
}
