package farm.render.core.scene;

import farm.render.core.bvh.Bvh;
import farm.render.core.bvh.BvhBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Node TRS animation over a scene: the animated part of the node tree (animated nodes and their
 * ancestors, parents before children), the keyframe channels, and what hangs from animated nodes
 * (triangles in their node's space, the camera). Farm frame F shows time (F − frameStart) / frameRate
 * seconds; before the first key and after the last one the nearest key holds.
 *
 * <p>Posing is pure Java in doubles, in a fixed order, so the worker and the verifier get the same
 * bytes for the same package and frame; a frame whose geometry moved gets its own hierarchy from the
 * same deterministic builder.
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

    /** The camera when it hangs from an animated node: position, view direction and up in that node's space. */
    public record CameraBinding(int node, Vec3 position, Vec3 lookAt, Vec3 up) {
        public static final CameraBinding NONE = new CameraBinding(-1, new Vec3(0, 0, 0), new Vec3(0, 0, -1), new Vec3(0, 1, 0));

        public CameraBinding {
            if (!position.isFinite() || !lookAt.isFinite() || !up.isFinite()) {
                throw new IllegalArgumentException("the animated camera's local frame is not finite");
            }
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

    /** Each node's world transform at {@code time}, row-major 4×4, in node order. */
    double[][] worldMatrices(double time) {
        double[][] world = new double[nodes.size()][];
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
            double[] local = trs[i] != null ? compose(trs[i]) : toDouble(n.restMatrix());
            world[i] = n.parent() < 0 ? local : multiply(world[n.parent()], local);
        }
        return world;
    }

    /** The scene at farm frame {@code frame}; the rest scene itself when nothing is animated. */
    Scene pose(Scene rest, int frame) {
        if (!isAnimated()) {
            return rest;
        }
        double[][] world = worldMatrices(time(frame));
        Camera cam = rest.camera();
        if (camera.node() >= 0) {
            double[] m = world[camera.node()];
            Vec3 position = point(m, camera.position());
            Vec3 forward = direction(m, camera.lookAt());
            Vec3 up = direction(m, camera.up());
            if (position.isFinite() && forward.isFinite() && up.isFinite() && forward.length() > 0
                    && forward.cross(up).length() > 0) {
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
        double[][] restWorld = normals != null || tangents != null ? worldMatrices() : null;
        for (MeshBinding b : meshes) {
            double[] m = world[b.node()];
            if (restWorld != null) {
                turnShading(b, m, restWorld[b.node()], normals, tangents);
            }
            float[] local = b.localPositions();
            int base = b.firstTriangle() * 9;
            for (int t = 0; t < local.length; t += 9) {
                float[] tri = new float[9];
                boolean finite = true;
                for (int v = 0; v < 9; v += 3) {
                    double x = local[t + v];
                    double y = local[t + v + 1];
                    double z = local[t + v + 2];
                    for (int r = 0; r < 3; r++) {
                        float p = (float) (m[r * 4] * x + m[r * 4 + 1] * y + m[r * 4 + 2] * z + m[r * 4 + 3]);
                        tri[v + r] = p;
                        finite &= Float.isFinite(p);
                    }
                }
                if (finite) { // a pose that overflows keeps the triangle where it rests
                    System.arraycopy(tri, 0, positions, base + t, 9);
                }
            }
        }
        Bvh bvh = BvhBuilder.build(positions);
        Shading turned = normals == null && tangents == null ? shading : new Shading(normals == null ? shading.normals() : normals,
                tangents == null ? shading.tangents() : tangents, shading.uv0(), shading.uv1());
        return rest.reposed(cam, positions, bvh, turned);
    }

    /** Each node's world transform at rest (no channel applied), row-major 4×4, in node order. */
    private double[][] worldMatrices() {
        double[][] world = new double[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            double[] local = toDouble(n.restMatrix());
            world[i] = n.parent() < 0 ? local : multiply(world[n.parent()], local);
        }
        return world;
    }

    /**
     * Turns the world-space corner normals and tangents of a binding's triangles from the rest pose to
     * the posed one: tangents by D = posed · rest⁻¹ (upper 3×3), normals by D's inverse transpose (its
     * cofactor matrix, signed by its determinant). A singular rest transform leaves them as they are.
     */
    private static void turnShading(MeshBinding b, double[] posed, double[] rest, float[] normals, float[] tangents) {
        double[] restInverse = inverse3(rest);
        if (restInverse == null) {
            return;
        }
        double[] p = {posed[0], posed[1], posed[2], posed[4], posed[5], posed[6], posed[8], posed[9], posed[10]};
        double[] d = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                d[i * 3 + j] = p[i * 3] * restInverse[j] + p[i * 3 + 1] * restInverse[3 + j] + p[i * 3 + 2] * restInverse[6 + j];
            }
        }
        double[] cof = cofactors(d);
        double det = d[0] * cof[0] + d[1] * cof[1] + d[2] * cof[2];
        if (det < 0) {
            for (int i = 0; i < 9; i++) {
                cof[i] = -cof[i];
            }
        }
        int first = b.firstTriangle();
        int count = b.triangleCount();
        if (normals != null) {
            for (int c = first * 3; c < (first + count) * 3; c++) {
                turn(cof, normals, c * 3);
            }
        }
        if (tangents != null) {
            for (int c = first * 3; c < (first + count) * 3; c++) {
                turn(d, tangents, c * 4);
            }
        }
    }

    /** values[at..at+2] = normalize(m · values[at..at+2]), unless that is not a finite direction. */
    private static void turn(double[] m, float[] values, int at) {
        double x = values[at];
        double y = values[at + 1];
        double z = values[at + 2];
        double nx = m[0] * x + m[1] * y + m[2] * z;
        double ny = m[3] * x + m[4] * y + m[5] * z;
        double nz = m[6] * x + m[7] * y + m[8] * z;
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (len > 0 && Double.isFinite(len)) {
            values[at] = (float) (nx / len);
            values[at + 1] = (float) (ny / len);
            values[at + 2] = (float) (nz / len);
        }
    }

    /** The cofactor matrix of a row-major 3×3: det(m) times the inverse transpose. */
    private static double[] cofactors(double[] m) {
        return new double[]{
                m[4] * m[8] - m[5] * m[7], m[5] * m[6] - m[3] * m[8], m[3] * m[7] - m[4] * m[6],
                m[2] * m[7] - m[1] * m[8], m[0] * m[8] - m[2] * m[6], m[1] * m[6] - m[0] * m[7],
                m[1] * m[5] - m[2] * m[4], m[2] * m[3] - m[0] * m[5], m[0] * m[4] - m[1] * m[3]};
    }

    /** The inverse of a 4×4's upper 3×3 (row-major 3×3), or null when it is singular. */
    private static double[] inverse3(double[] m4) {
        double[] m = {m4[0], m4[1], m4[2], m4[4], m4[5], m4[6], m4[8], m4[9], m4[10]};
        double[] cof = cofactors(m);
        double det = m[0] * cof[0] + m[1] * cof[1] + m[2] * cof[2];
        if (!(Math.abs(det) > 1e-30) || !Double.isFinite(det)) {
            return null;
        }
        double[] inv = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                inv[i * 3 + j] = cof[j * 3 + i] / det; // inverse = adjugate / det = cofactorsᵀ / det
            }
        }
        return inv;
    }

    /** T · R · S from (tx, ty, tz, qx, qy, qz, qw, sx, sy, sz). */
    static double[] compose(double[] t) {
        double x = t[3];
        double y = t[4];
        double z = t[5];
        double w = t[6];
        double sx = t[7];
        double sy = t[8];
        double sz = t[9];
        return new double[]{
                (1 - 2 * (y * y + z * z)) * sx, 2 * (x * y - z * w) * sy, 2 * (x * z + y * w) * sz, t[0],
                2 * (x * y + z * w) * sx, (1 - 2 * (x * x + z * z)) * sy, 2 * (y * z - x * w) * sz, t[1],
                2 * (x * z - y * w) * sx, 2 * (y * z + x * w) * sy, (1 - 2 * (x * x + y * y)) * sz, t[2],
                0, 0, 0, 1};
    }

    static double[] multiply(double[] a, double[] b) {
        double[] r = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += a[i * 4 + k] * b[k * 4 + j];
                }
                r[i * 4 + j] = s;
            }
        }
        return r;
    }

    private static double[] toDouble(float[] m) {
        double[] r = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            r[i] = m[i];
        }
        return r;
    }

    private static Vec3 point(double[] m, Vec3 p) {
        return new Vec3((float) (m[0] * p.x() + m[1] * p.y() + m[2] * p.z() + m[3]),
                (float) (m[4] * p.x() + m[5] * p.y() + m[6] * p.z() + m[7]),
                (float) (m[8] * p.x() + m[9] * p.y() + m[10] * p.z() + m[11]));
    }

    private static Vec3 direction(double[] m, Vec3 d) {
        return new Vec3((float) (m[0] * d.x() + m[1] * d.y() + m[2] * d.z()),
                (float) (m[4] * d.x() + m[5] * d.y() + m[6] * d.z()),
                (float) (m[8] * d.x() + m[9] * d.y() + m[10] * d.z()));
    }
}
