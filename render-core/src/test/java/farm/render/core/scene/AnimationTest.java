package farm.render.core.scene;

import farm.render.core.bvh.RayCast;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.joml.Vector3f;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AnimationTest {
    static final Path MOVING_SPHERE = Path.of("../samples/moving-sphere/moving-sphere.gltf");
    /** The sample's triangle ranges: room (floor, wall, light), ball, box. */
    static final int ROOM = 6;
    static final int BALL_END = ROOM + 320;

    private static Scene movingSphere() throws Exception {
        return SceneImporter.importScene(Files.readAllBytes(MOVING_SPHERE), "gltf");
    }

    private static AnimationChannel channel(AnimationChannel.Target target, AnimationChannel.Interpolation mode, float[] times,
                                            float... values) {
        return new AnimationChannel(0, target, mode, times, values);
    }

    @Test
    void stepHoldsAKeyLinearBlendsAndTheEndsHold() {
        float[] times = {1, 3};
        AnimationChannel step = channel(AnimationChannel.Target.TRANSLATION, AnimationChannel.Interpolation.STEP, times, 0, 0, 0, 4, 2, 0);
        AnimationChannel linear = channel(AnimationChannel.Target.TRANSLATION, AnimationChannel.Interpolation.LINEAR, times, 0, 0, 0, 4, 2, 0);
        assertThat(step.sample(2.9)).containsExactly(0, 0, 0);
        assertThat(step.sample(3)).containsExactly(4, 2, 0);
        assertThat(linear.sample(2)).containsExactly(2, 1, 0);
        assertThat(linear.sample(-5)).containsExactly(0, 0, 0);
        assertThat(linear.sample(99)).containsExactly(4, 2, 0);
    }

    @Test
    void cubicSplineUsesTheTangentsScaledByTheKeyInterval() {
        // in-tangent, value, out-tangent per key: a line of slope 1 through (0, 0) and (2, 2) is reproduced exactly.
        AnimationChannel line = channel(AnimationChannel.Target.SCALE, AnimationChannel.Interpolation.CUBICSPLINE, new float[]{0, 2},
                1, 1, 1, 0, 0, 0, 1, 1, 1,
                1, 1, 1, 2, 2, 2, 1, 1, 1);
        assertThat(line.sample(0.5)[0]).isCloseTo(0.5, within(1e-12));
        assertThat(line.sample(1.5)[2]).isCloseTo(1.5, within(1e-12));
        // Flat tangents ease in and out: a quarter of the way along the value is below a quarter.
        AnimationChannel ease = channel(AnimationChannel.Target.SCALE, AnimationChannel.Interpolation.CUBICSPLINE, new float[]{0, 1},
                0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 1, 1, 1, 0, 0, 0);
        assertThat(ease.sample(0.25)[0]).isCloseTo(0.15625, within(1e-12));
        assertThat(ease.sample(0.5)[0]).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void rotationsSlerpAlongTheShorterArc() {
        float s = (float) Math.sin(Math.PI / 4);
        float[] times = {0, 1};
        AnimationChannel quarter = channel(AnimationChannel.Target.ROTATION, AnimationChannel.Interpolation.LINEAR, times,
                0, 0, 0, 1, 0, s, 0, s);
        double[] half = quarter.sample(0.5);
        assertThat(half[1]).isCloseTo(Math.sin(Math.PI / 8), within(1e-6));
        assertThat(half[3]).isCloseTo(Math.cos(Math.PI / 8), within(1e-6));
        // The same end rotation written as -q: still the 45-degree turn, not the long way round.
        AnimationChannel negated = channel(AnimationChannel.Target.ROTATION, AnimationChannel.Interpolation.LINEAR, times,
                0, 0, 0, 1, 0, -s, 0, -s);
        assertThat(negated.sample(0.5)[1]).isCloseTo(half[1], within(1e-6));
        assertThat(negated.sample(0.5)[3]).isCloseTo(half[3], within(1e-6));
    }

    @Test
    void keysOutOfOrderAreRefused() {
        assertThatThrownBy(() -> channel(AnimationChannel.Target.TRANSLATION, AnimationChannel.Interpolation.LINEAR,
                new float[]{1, 1}, 0, 0, 0, 1, 1, 1)).hasMessageContaining("strictly increasing");
    }

    @Test
    void theSampleReportsItsFramesAtItsFrameRate() throws Exception {
        Animation a = movingSphere().animation();
        assertThat(a.isAnimated()).isTrue();
        assertThat(a.firstFrame()).isEqualTo(1);
        assertThat(a.lastFrame()).isEqualTo(25);
        assertThat(a.frameCount()).isEqualTo(25);
        assertThat(a.summary()).startsWith("animation: frames 1-25 (25 frames) at 24 fps");
        assertThat(a.time(13)).isEqualTo(0.5);
        assertThat(Animation.NONE.frameCount()).isZero();
    }

    @Test
    void frameOneAndFrameNDifferWhereTheObjectsMovedAndAgreeElsewhere() throws Exception {
        Scene scene = movingSphere();
        Scene first = scene.posed(1);
        Scene last = scene.posed(25);
        float[] a = first.positions();
        float[] b = last.positions();
        assertThat(Arrays.copyOfRange(a, 0, ROOM * 9)).isEqualTo(Arrays.copyOfRange(b, 0, ROOM * 9));
        assertThat(Arrays.copyOfRange(a, 0, ROOM * 9)).isEqualTo(Arrays.copyOfRange(scene.positions(), 0, ROOM * 9));
        // The ball's centre moves from x = -0.8 to x = 0.8; halfway (frame 13, t = 0.5 s) it is at (0, 0.6, 0.2).
        assertThat(centre(a, ROOM, BALL_END)[0]).isCloseTo(-0.8f, within(1e-4f));
        assertThat(centre(b, ROOM, BALL_END)[0]).isCloseTo(0.8f, within(1e-4f));
        float[] mid = centre(scene.posed(13).positions(), ROOM, BALL_END);
        assertThat(mid[0]).isCloseTo(0f, within(1e-4f));
        assertThat(mid[1]).isCloseTo(0.6f, within(1e-4f));
        // The box turns a quarter turn about +Y: same centre, different corners.
        int boxEnd = scene.triangleCount();
        assertThat(centre(b, BALL_END, boxEnd)[0]).isCloseTo(centre(a, BALL_END, boxEnd)[0], within(1e-4f));
        assertThat(Arrays.copyOfRange(a, BALL_END * 9, boxEnd * 9)).isNotEqualTo(Arrays.copyOfRange(b, BALL_END * 9, boxEnd * 9));
        assertThat(first.camera()).isEqualTo(last.camera());
    }

    @Test
    void thePosedHierarchyHoldsTheMovedTriangles() throws Exception {
        Scene last = movingSphere().posed(25);
        assertThat(last.bvh()).isNotEqualTo(movingSphere().bvh());
        assertThat(last.bvh().validate(last.triangleCount())).isNull();
        // A ray at the ball's frame-25 place hits a ball triangle through the posed hierarchy, as brute force does.
        float[] origin = {0.83f, 0.31f, 3f}; // off the ball's pole vertex, which an exact ray would graze
        float[] down = {0, 0, -1};
        RayCast.Hit hit = RayCast.closest(last.bvh(), last.positions(), origin, down);
        assertThat(hit.triangle()).isBetween(ROOM, BALL_END - 1);
        assertThat(hit).isEqualTo(RayCast.bruteForce(last.positions(), origin, down));
        // ... and misses it where the ball rested at frame 1 (it hits the back wall instead).
        RayCast.Hit wall = RayCast.closest(last.bvh(), last.positions(), new float[]{-0.83f, 0.31f, 3f}, down);
        assertThat(wall.triangle()).isLessThan(ROOM);
    }

    @Test
    void posingIsDeterministicAndSurvivesThePackage() throws Exception {
        Scene scene = movingSphere();
        byte[] pkg = ScenePackage.encode(scene);
        assertThat(ScenePackage.encode(movingSphere())).isEqualTo(pkg);
        Scene decoded = ScenePackage.decode(pkg);
        assertThat(ScenePackage.encode(decoded)).isEqualTo(pkg);
        byte[] posed = ScenePackage.encode(scene.posed(7));
        assertThat(ScenePackage.encode(decoded.posed(7))).isEqualTo(posed);
        assertThat(ScenePackage.encode(scene.posed(7))).isEqualTo(posed);
        assertThat(ScenePackage.encode(scene.posed(8))).isNotEqualTo(posed);
        assertThat(scene.geometryKey("d", 7)).isNotEqualTo(scene.geometryKey("d", 8));
    }

    @Test
    void aCameraOnlyAnimationMovesTheCameraAndKeepsTheRestHierarchy() {
        float[] tri = {-1, -1, -5, 1, -1, -5, 0, 1, -5};
        Scene still = new Scene(new Camera(new Vector3f(0, 0, 0), new Vector3f(0, 0, -1), new Vector3f(0, 1, 0), 0.8f),
                List.of(new Material("m", new Rgb(0.5f, 0.5f, 0.5f), Rgb.BLACK)), tri, new int[]{0}, List.of());
        float[] identity = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        Animation dolly = new Animation(24, 1, List.of(new Animation.Node(-1, identity, new float[3], new float[]{0, 0, 0, 1},
                new float[]{1, 1, 1})), List.of(new AnimationChannel(0, AnimationChannel.Target.TRANSLATION,
                AnimationChannel.Interpolation.LINEAR, new float[]{0, 1}, new float[]{0, 0, 0, 0, 0, 2})), List.of(),
                new Animation.CameraBinding(0, new Vector3f(0, 0, 0), new Vector3f(0, 0, -1), new Vector3f(0, 1, 0)));
        Scene animated = still.withAnimation(dolly);
        assertThat(dolly.movesGeometry()).isFalse();
        Scene end = animated.posed(25);
        assertThat(end.camera().position().z()).isCloseTo(2f, within(1e-6f));
        assertThat(end.bvh()).isSameAs(still.bvh());
        assertThat(animated.geometryKey("d", 25)).isEqualTo("d");
    }

    @Test
    void aGltfCameraOnUnnamedNodesFollowsACubicSplineAndAStepChannel() throws Exception {
        // Two root nodes (Assimp adds a root above them), none named: a triangle, and a camera under a parent.
        // The camera's node moves along z by a cubic spline of slope 1 (keys at 0 and 2 s); its parent's scale steps at 1 s.
        float[] data = {
                -1, -1, -5, 1, -1, -5, 0, 1, -5,           // triangle, 36 bytes at 0
                0, 2,                                      // key times, 8 bytes at 36
                0, 0, 1, 0, 0, 0, 0, 0, 1,                 // key 0: in-tangent, value, out-tangent (44)
                0, 0, 1, 0, 0, 2, 0, 0, 1,                 // key 1 (80)
                0, 1,                                      // step times (116)
                1, 1, 1, 1, 1, 1};                         // step scales (124)
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(data.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            bytes.putFloat(f);
        }
        String buffer = java.util.Base64.getEncoder().encodeToString(bytes.array());
        String gltf = """
                {"asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0,1],"extras":{"frameRate":10,"frameStart":0}}],
                 "nodes":[{"mesh":0},{"children":[2]},{"camera":0}],
                 "cameras":[{"type":"perspective","perspective":{"yfov":0.8,"znear":0.1}}],
                 "meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}],
                 "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[-1,-1,-5],"max":[1,1,-5]},
                   {"bufferView":1,"componentType":5126,"count":2,"type":"SCALAR","min":[0],"max":[2]},
                   {"bufferView":2,"componentType":5126,"count":6,"type":"VEC3"},
                   {"bufferView":3,"componentType":5126,"count":2,"type":"SCALAR","min":[0],"max":[1]},
                   {"bufferView":4,"componentType":5126,"count":2,"type":"VEC3"}],
                 "bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":36},{"buffer":0,"byteOffset":36,"byteLength":8},
                   {"buffer":0,"byteOffset":44,"byteLength":72},{"buffer":0,"byteOffset":116,"byteLength":8},
                   {"buffer":0,"byteOffset":124,"byteLength":24}],
                 "buffers":[{"byteLength":148,"uri":"data:application/octet-stream;base64,BUFFER"}],
                 "animations":[{"channels":[{"sampler":0,"target":{"node":2,"path":"translation"}},
                                            {"sampler":1,"target":{"node":1,"path":"scale"}}],
                                "samplers":[{"input":1,"output":2,"interpolation":"CUBICSPLINE"},
                                            {"input":3,"output":4,"interpolation":"STEP"}]}]}
                """.replace("BUFFER", buffer);
        Scene scene = SceneImporter.importScene(gltf.getBytes(java.nio.charset.StandardCharsets.UTF_8), "gltf");
        Animation a = scene.animation();
        assertThat(scene.unsupported()).isEmpty();
        assertThat(a.movesGeometry()).isFalse();
        assertThat(a.firstFrame()).isZero();
        assertThat(a.lastFrame()).isEqualTo(20);
        assertThat(scene.posed(5).camera().position().z()).isCloseTo(0.5f, within(1e-5f));
        assertThat(scene.posed(15).camera().position().z()).isCloseTo(1.5f, within(1e-5f));
        assertThat(scene.posed(15).bvh()).isSameAs(scene.bvh());
        assertThat(ScenePackage.decode(ScenePackage.encode(scene)).posed(5).camera()).isEqualTo(scene.posed(5).camera());
    }

    @Test
    void normalsAndTangentsTurnWithTheirNode() {
        // A triangle facing +z with smooth normals +z and tangents +x, on a node that turns a quarter turn about +y.
        float[] tri = {-1, -1, 0, 1, -1, 0, 0, 1, 0};
        float[] normals = {0, 0, 1, 0, 0, 1, 0, 0, 1};
        float[] tangents = {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1};
        Scene still = new Scene(new Camera(new Vector3f(0, 0, 5), new Vector3f(0, 0, -1), new Vector3f(0, 1, 0), 0.8f),
                List.of(new Material("m", new Rgb(0.5f, 0.5f, 0.5f), Rgb.BLACK)), tri, new int[]{0}, List.of(), List.of(), Rgb.BLACK,
                List.of(), new Shading(normals, tangents, new float[0], new float[0]), EnvironmentMap.NONE);
        float[] identity = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        float s = (float) Math.sin(Math.PI / 4);
        Animation turn = new Animation(24, 1, List.of(new Animation.Node(-1, identity, new float[3], new float[]{0, 0, 0, 1},
                new float[]{1, 1, 1})), List.of(new AnimationChannel(0, AnimationChannel.Target.ROTATION,
                AnimationChannel.Interpolation.LINEAR, new float[]{0, 1}, new float[]{0, 0, 0, 1, 0, s, 0, s})),
                List.of(new Animation.MeshBinding(0, 0, tri)), Animation.CameraBinding.NONE);
        Scene end = still.withAnimation(turn).posed(25);
        // A quarter turn about +y takes +z to +x and +x to -z.
        assertThat(end.shading().normals()[0]).isCloseTo(1f, within(1e-6f));
        assertThat(end.shading().normals()[2]).isCloseTo(0f, within(1e-6f));
        assertThat(end.shading().tangents()[2]).isCloseTo(-1f, within(1e-6f));
        assertThat(end.shading().tangents()[3]).isEqualTo(1f);
        assertThat(end.positions()[2]).isCloseTo(1f, within(1e-6f)); // (-1, -1, 0) turned to (0, -1, 1)
        assertThat(still.shading().normals()[2]).isEqualTo(1f);
    }

    @Test
    void aStillSceneIsItsOwnFrame() throws Exception {
        Scene cornell = SceneImporter.importScene(Files.readAllBytes(SceneImporterTest.CORNELL), "gltf");
        assertThat(cornell.posed(42)).isSameAs(cornell);
        assertThat(new PosedFrames(2).frame("d", cornell, 42).geometryKey()).isEqualTo("d");
    }

    @Test
    void posedFramesAreCachedPerDigestAndFrameWithinTheirBound() throws Exception {
        Scene scene = movingSphere();
        PosedFrames frames = new PosedFrames(2);
        PosedFrames.Frame f3 = frames.frame("d", scene, 3);
        assertThat(frames.frame("d", scene, 3)).isSameAs(f3);
        frames.frame("d", scene, 4);
        frames.frame("d", scene, 5);
        assertThat(frames.size()).isEqualTo(2);
        assertThat(frames.frame("d", scene, 3)).isNotSameAs(f3);
        assertThat(ScenePackage.encode(frames.frame("d", scene, 3).scene())).isEqualTo(ScenePackage.encode(f3.scene()));
    }

    private static float[] centre(float[] positions, int firstTriangle, int endTriangle) {
        float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = firstTriangle * 9; i < endTriangle * 9; i++) {
            min[i % 3] = Math.min(min[i % 3], positions[i]);
            max[i % 3] = Math.max(max[i % 3], positions[i]);
        }
        return new float[]{(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2};
    }
}
