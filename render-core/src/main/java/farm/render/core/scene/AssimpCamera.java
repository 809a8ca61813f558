package farm.render.core.scene;

import org.joml.Matrix4fc;
import org.joml.Vector3f;
import org.lwjgl.assimp.AICamera;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.assimp.AIVector3D;

import java.util.List;

/**
 * The scene's camera from Assimp's first camera (glTF {@code yfov} from Assimp's horizontal angle),
 * and, when its node moves, the camera in that node's space for posing.
 *
 * @param binding {@link Animation.CameraBinding#NONE} unless the camera hangs from an animated node
 */
record AssimpCamera(Camera camera, Animation.CameraBinding binding) {
    /**
     * The first camera, placed by its node's transform; a framing of the scene's box {@code worldBox} (min x y z,
     * max x y z) when there is none or it is degenerate.
     */
    static AssimpCamera of(AIScene ai, SceneNodes nodes, float[] worldBox, List<String> unsupported, SceneGraph graph) {
        if (ai.mNumCameras() > 0) {
            AICamera cam = AICamera.create(ai.mCameras().get(0));
            Matrix4fc world = nodes.worldTransform(cam.mName().dataString());
            Vector3f position = world.transformPosition(vec(cam.mPosition()), new Vector3f());
            Vector3f forward = world.transformDirection(vec(cam.mLookAt()), new Vector3f());
            Vector3f up = world.transformDirection(vec(cam.mUp()), new Vector3f());
            float aspect = cam.mAspect() > 0 ? cam.mAspect() : 1f;
            // Assimp stores the horizontal angle; glTF cameras are defined by yfov and aspect.
            float yfov = (float) (2 * Math.atan(Math.tan(cam.mHorizontalFOV() / 2) / aspect));
            if (ai.mNumCameras() > 1) {
                unsupported.add((ai.mNumCameras() - 1) + " extra camera(s): the first camera is used");
            }
            if (position.isFinite() && forward.length() > 0 && Float.isFinite(yfov) && yfov > 0.01f && yfov < 3.1f) {
                int node = graph.indexOf(cam.mName().dataString());
                Animation.CameraBinding binding = node >= 0 && graph.animated(node)
                        ? new Animation.CameraBinding(node, vec(cam.mPosition()), vec(cam.mLookAt()), vec(cam.mUp()))
                        : Animation.CameraBinding.NONE;
                return new AssimpCamera(new Camera(position, forward, up, yfov), binding);
            }
            unsupported.add("camera '" + cam.mName().dataString() + "' is degenerate: a default framing is used");
        }
        return new AssimpCamera(Camera.framing(new Vector3f(worldBox[0], worldBox[1], worldBox[2]),
                new Vector3f(worldBox[3], worldBox[4], worldBox[5])), Animation.CameraBinding.NONE);
    }

    private static Vector3f vec(AIVector3D v) {
        return new Vector3f(v.x(), v.y(), v.z());
    }
}
