package farm.render.core.scene;

import farm.render.core.bvh.Bvh;
import farm.render.core.bvh.BvhBuilder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.joml.Matrix3d;
import org.joml.Matrix3dc;
import org.joml.Matrix4d;
import org.joml.Matrix4dc;
import org.joml.Matrix4f;
import org.joml.Vector3d;
import org.joml.Vector3f;
import org.joml.Vector3fc;

/**
 * Node TRS animation over a scene: the animated part of the node tree (animated nodes and their
 * ancestors, parents before children), the keyframe channels, and what hangs from animated nodes
 * (triangles in their node's space, the camera). Farm frame F shows time (F − frameStart) / frameRate
 * seconds; before the first key and after the last one the nearest key holds.
 *
 * <p>Posing is pure Java in JOML's double-precision types, in a fixed order, so the worker and the
 * verifier get the same bytes for the same package and frame; a frame whose geometry moved gets its
 * own hierarchy from the same deterministic builder.
 *
 * @param frameRate  frames per second (scene extras {@code "frameRate"}, default {@value #DEFAULT_FRAME_RATE})
 * @param frameStart the farm frame that shows time 0 (scene extras {@code "frameStart"}, default {@value #DEFAULT_FRAME_START})
 */
public record Animation(float frameRate, int frameStart, List<Node> nodes, List<AnimationChannel> channels,
                        List<MeshBinding> meshes, CameraBinding camera) {
    public static final float DEFAULT_FRAME_RATE = 24f;
    public static final int DEFAULT_FRAME_START = 1;
    public static final float MAX_FRAME_RATE = 1000f;
    public static final Animation NONE = new Animation(DEFAULT_FRAME_RATE, DEFAULT_FRAME_START, List.of(), List.of(), List.of(),
            CameraBinding.NONE);

    /**
     * One node of the animated tree.
     *
     * @param parent      index of the parent node in {@link #nodes()}, or -1 for a node whose parents never move
     * @param restMatrix  the local transform when no channel drives the node, row-major 4×4
     * @param translation rest translation (x, y, z) that channels not driving it leave in place
     * @param rotation    rest rotation quaternion (x, y, z, w)
     * @param scale       rest scale (x, y, z)
     */
    public record Node(int parent, float[] restMatrix, float[] translation, float[] rotation, float[] scale) {
        public Node {
            if (restMatrix.length != 16 || translation.length != 3 || rotation.length != 4 || scale.length != 3) {
                throw new IllegalArgumentException("an animation node needs a 4×4 matrix and a full TRS");
            }
            for (float[] a : new float[][]{restMatrix, translation, rotation, scale}) {
                for (float v : a) {
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("an animation node's rest transform is not finite");
                    }
                }
            }
        }
    }

    /** Triangles [firstTriangle, firstTriangle + count) of the scene, given in the space of {@code node}. */
    public record MeshBinding(int node, int firstTriangle, float[] localPositions) {
        public MeshBinding {
            if (localPositions.length == 0 || localPositions.length % 9 != 0 || firstTriangle < 0) {
                throw new IllegalArgumentException("a mesh binding needs whole triangles at a valid place");
            }
            for (float v : localPositions) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("a mesh binding's positions are not finite");
                }
            }
        }

        public int triangleCount() {
            return localPositions.length / 9;
        }
    }

    /** The camera when it hangs from an animated node: position, view direction and up in that node's space (copies it owns). */
    public record CameraBinding(int node, Vector3fc position, Vector3fc lookAt, Vector3fc up) {
        public static final CameraBinding NONE = new CameraBinding(-1, new Vector3f(0, 0, 0), new Vector3f(0, 0, -1),
                new Vector3f(0, 1, 0));

        public CameraBinding {
            if (!position.isFinite() || !lookAt.isFinite() || !up.isFinite()) {
                throw new IllegalArgumentException("the animated camera's local frame is not finite");
            }
            position = new Vector3f(position);
            lookAt = new Vector3f(lookAt);
            up = new Vector3f(up);
        }
    }

    public Animation {
        nodes = List.copyOf(nodes);
        channels = List.copyOf(channels);
        meshes = List.copyOf(meshes);
        if (!Float.isFinite(frameRate) || frameRate <= 0 || frameRate > MAX_FRAME_RATE) {
            throw new IllegalArgumentException("frame rate " + frameRate + " must be above 0 and at most " + MAX_FRAME_RATE);
        }
        for (int i = 0; i < nodes.size(); i++) {
            int p = nodes.get(i).parent();
            if (p < -1 || p >= i) {
                throw new IllegalArgumentException("animation node " + i + " names parent " + p + ": parents must come first");
            }
        }
        Set<Long> driven = new HashSet<>();
        for (AnimationChannel c : channels) {
            if (c.node() < 0 || c.node() >= nodes.size()) {
                throw new IllegalArgumentException("an animation channel drives node " + c.node() + " of " + nodes.size());
            }
            if (!driven.add((long) c.node() * 8 + c.target().ordinal())) {
                throw new IllegalArgumentException("two animation channels drive the " + c.target() + " of node " + c.node());
            }
        }
        for (MeshBinding m : meshes) {
            if (m.node() < 0 || m.node() >= nodes.size()) {
                throw new IllegalArgumentException("a mesh binding names node " + m.node() + " of " + nodes.size());
            }
        }
        if (camera.node() < -1 || camera.node() >= nodes.size()) {
            throw new IllegalArgumentException("the camera binding names node " + camera.node() + " of " + nodes.size());
        }
    }

    public boolean isAnimated() {
        return !channels.isEmpty();
    }

    /** Whether any triangle moves; a camera-only animation renders every frame with the rest hierarchy. */
    public boolean movesGeometry() {
        return isAnimated() && !meshes.isEmpty();
    }

    /** Seconds into the animation that farm frame {@code frame} shows. */
    public double time(int frame) {
        return (frame - (double) frameStart) / frameRate;
    }

    /** The first farm frame whose time lies within the keys (frameStart for a static scene). */
    public int firstFrame() {
        double first = Double.MAX_VALUE;
        for (AnimationChannel c : channels) {
            first = Math.min(first, c.firstTime());
        }
        return isAnimated() ? frameStart + (int) Math.ceil(first * frameRate - 1e-3) : frameStart;
    }

    /** The last farm frame whose time lies within the keys (frameStart for a static scene). */
    public int lastFrame() {
        double last = -Double.MAX_VALUE;
        for (AnimationChannel c : channels) {
            last = Math.max(last, c.lastTime());
        }
        return isAnimated() ? Math.max(firstFrame(), frameStart + (int) Math.floor(last * frameRate + 1e-3)) : frameStart;
    }

    /** Frames from the first key to the last: 0 for a static scene. */
    public int frameCount() {
        return isAnimated() ? lastFrame() - firstFrame() + 1 : 0;
    }

    /** For the scene summary, e.g. "animation: frames 1-25 (25 frames) at 24 fps; the camera and 960 triangles move". */
    public String summary() {
        if (!isAnimated()) {
            return "static: every frame is the same";
        }
        int moving = 0;
        for (MeshBinding m : meshes) {
            moving += m.triangleCount();
        }
        String what = camera.node() >= 0 && moving > 0 ? "the camera and " + moving + " triangles move"
                : camera.node() >= 0 ? "the camera moves" : moving + " triangles move";
        return String.format(Locale.ROOT, "animation: frames %d-%d (%d frames) at %s fps; %s", firstFrame(), lastFrame(),
                frameCount(), frameRate == Math.rint(frameRate) ? Integer.toString((int) frameRate) : Float.toString(frameRate), what);
    }

    /** Each node's world transform at {@code time}, in node order. */
    Matrix4d[] worldMatrices(double time) {
        Matrix4d[] world = new Matrix4d[nodes.size()];
        double[][] trs = new double[nodes.size()][];
        for (AnimationChannel c : channels) {
            double[] t = trs[c.node()];
            if (t == null) {
                Node n = nodes.get(c.node());
                t = new double[10];
                for (int i = 0; i < 3; i++) {
                    t[i] = n.translation()[i];
                    t[7 + i] = n.scale()[i];
                }
                for (int i = 0; i < 4; i++) {
                    t[3 + i] = n.rotation()[i];
                }
                trs[c.node()] = t;
            }
            double[] v = c.sample(time);
            int at = switch (c.target()) {
                case TRANSLATION -> 0;
                case ROTATION -> 3;
                case SCALE -> 7;
            };
            System.arraycopy(v, 0, t, at, v.length);
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            Matrix4d local = trs[i] != null ? compose(trs[i]) : rest(n);
            world[i] = n.parent() < 0 ? local : world[n.parent()].mul(local, new Matrix4d());
        }
        return world;
    }

    /** The scene at farm frame {@code frame}; the rest scene itself when nothing is animated. */
    Scene pose(Scene rest, int frame) {
        if (!isAnimated()) {
            return rest;
        }
        Matrix4d[] world = worldMatrices(time(frame));
        Camera cam = rest.camera();
        if (camera.node() >= 0) {
            Matrix4d m = world[camera.node()];
            Vector3f position = m.transformPosition(new Vector3d(camera.position())).get(new Vector3f());
            Vector3f forward = m.transformDirection(new Vector3d(camera.lookAt())).get(new Vector3f());
            Vector3f up = m.transformDirection(new Vector3d(camera.up())).get(new Vector3f());
            if (position.isFinite() && forward.isFinite() && up.isFinite() && forward.length() > 0
                    && forward.cross(up, new Vector3f()).length() > 0) {
                cam = new Camera(position, forward, up, cam.verticalFovRadians());
            }
        }
        if (!movesGeometry()) {
            return rest.reposed(cam, rest.positions(), rest.bvh(), rest.shading());
        }
        float[] positions = rest.positions().clone();
        Shading shading = rest.shading();
        float[] normals = shading.normals().length > 0 ? shading.normals().clone() : null;
        float[] tangents = shading.tangents().length > 0 ? shading.tangents().clone() : null;
        Matrix4d[] restWorld = normals != null || tangents != null ? worldMatrices() : null;
        Vector3d p = new Vector3d();
        for (MeshBinding b : meshes) {
            Matrix4d m = world[b.node()];
            if (restWorld != null) {
                turnShading(b, m, restWorld[b.node()], normals, tangents);
            }
            float[] local = b.localPositions();
            int base = b.firstTriangle() * 9;
            for (int t = 0; t < local.length; t += 9) {
                float[] tri = new float[9];
                boolean finite = true;
                for (int v = 0; v < 9; v += 3) {
                    m.transformPosition(local[t + v], local[t + v + 1], local[t + v + 2], p);
                    tri[v] = (float) p.x;
                    tri[v + 1] = (float) p.y;
                    tri[v + 2] = (float) p.z;
                    finite &= Float.isFinite(tri[v]) && Float.isFinite(tri[v + 1]) && Float.isFinite(tri[v + 2]);
                }
                if (finite) { // a pose that overflows keeps the triangle where it rests
                    System.arraycopy(tri, 0, positions, base + t, 9);
                }
            }
        }
        // Animated triangles are flat ones; the instanced meshes after them keep their own hierarchies.
        Bvh bvh = BvhBuilder.build(rest.instances().isEmpty() ? positions
                : Arrays.copyOf(positions, rest.flatTriangleCount() * 9));
        Shading turned = normals == null && tangents == null ? shading : new Shading(normals == null ? shading.normals() : normals,
                tangents == null ? shading.tangents() : tangents, shading.uv0(), shading.uv1());
        return rest.reposed(cam, positions, bvh, turned);
    }

    /** Each node's world transform at rest (no channel applied), in node order. */
    private Matrix4d[] worldMatrices() {
        Matrix4d[] world = new Matrix4d[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            Matrix4d local = rest(n);
            world[i] = n.parent() < 0 ? local : world[n.parent()].mul(local, new Matrix4d());
        }
        return world;
    }

    /**
     * Turns the world-space corner normals and tangents of a binding's triangles from the rest pose to
     * the posed one: tangents by D = posed · rest⁻¹ (upper 3×3), normals by D's inverse transpose (its
     * cofactor matrix, signed by its determinant). A singular rest transform leaves them as they are.
     */
    private static void turnShading(MeshBinding b, Matrix4dc posed, Matrix4dc rest, float[] normals, float[] tangents) {
        Matrix3d restLinear = rest.get3x3(new Matrix3d());
        double restDeterminant = restLinear.determinant();
        if (!(Math.abs(restDeterminant) > 1e-30) || !Double.isFinite(restDeterminant)) {
            return;
        }
        Matrix3d d = posed.get3x3(new Matrix3d()).mul(restLinear.invert());
        Matrix3d cof = d.cofactor(new Matrix3d());
        if (d.determinant() < 0) {
            cof.scale(-1);
        }
        int first = b.firstTriangle();
        int count = b.triangleCount();
        Vector3d v = new Vector3d();
        if (normals != null) {
            for (int c = first * 3; c < (first + count) * 3; c++) {
                turn(cof, normals, c * 3, v);
            }
        }
        if (tangents != null) {
            for (int c = first * 3; c < (first + count) * 3; c++) {
                turn(d, tangents, c * 4, v);
            }
        }
    }

    /** values[at..at+2] = normalize(m · values[at..at+2]), unless that is not a finite direction. */
    private static void turn(Matrix3dc m, float[] values, int at, Vector3d v) {
        m.transform(values[at], values[at + 1], values[at + 2], v);
        double len = v.length();
        if (len > 0 && Double.isFinite(len)) {
            v.div(len);
            values[at] = (float) v.x;
            values[at + 1] = (float) v.y;
            values[at + 2] = (float) v.z;
        }
    }

    /** T · R · S from (tx, ty, tz, qx, qy, qz, qw, sx, sy, sz). */
    static Matrix4d compose(double[] t) {
        return new Matrix4d().translationRotateScale(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9]);
    }

    /** A node's rest transform (stored row-major). */
    private static Matrix4d rest(Node n) {
        return new Matrix4d(new Matrix4f().setTransposed(n.restMatrix()));
    }
}
