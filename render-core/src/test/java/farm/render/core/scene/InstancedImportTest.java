package farm.render.core.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import farm.render.core.image.TileImage;
import farm.render.core.preview.Thumbnail;
import farm.render.core.scene.testing.ForestGlb;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes that share a mesh become instances: the package stores the mesh once and refuses instances that do not fit. */
class InstancedImportTest {
    private static final int TREES = 40;

    @TempDir
    Path dir;

    private Scene forest(int trees) throws Exception {
        Path file = dir.resolve("forest-" + trees + ".glb");
        ForestGlb.write(file, 3_000, trees);
        return SceneImporter.importScene(Files.readAllBytes(file), "glb");
    }

    @Test
    void aForestStoresItsTreeOnceAndItsPackageRoundTrips() throws Exception {
        Scene scene = forest(TREES);
        Instances instances = scene.instances();
        int tree = scene.triangleCount();
        assertThat(instances.count()).isEqualTo(TREES);
        assertThat(instances.meshes()).hasSize(1);
        assertThat(scene.flatTriangleCount()).isZero();
        assertThat(scene.placedTriangleCount()).isEqualTo((long) TREES * tree);

        byte[] pkg = ScenePackage.encode(scene);
        assertThat(ByteBuffer.wrap(pkg, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(5);
        // Forty trees cost the package one tree and 52 bytes per placement.
        byte[] oneTree = ScenePackage.encode(forest(1));
        assertThat(pkg.length - oneTree.length).isLessThan(TREES * 64 + 256);
        Scene decoded = ScenePackage.decode(pkg);
        assertThat(decoded.instances().count()).isEqualTo(TREES);
        assertThat(decoded.instances().transforms()).isEqualTo(instances.transforms());
        // Past the camera (whose vectors a decode renormalizes), a decoded package encodes to itself.
        int afterCamera = 12 + ScenePackage.CAMERA_BYTES;
        assertThat(Arrays.copyOfRange(ScenePackage.encode(decoded), afterCamera, pkg.length))
                .isEqualTo(Arrays.copyOfRange(pkg, afterCamera, pkg.length));
        assertThat(ScenePackage.encode(forest(TREES))).as("the same file gives the same package").isEqualTo(pkg);

        ImportSummary summary = ImportSummary.of(scene, new SourceCounts(1, 0));
        assertThat(summary.triangles()).isEqualTo(tree);
        assertThat(summary.instances()).isEqualTo(TREES);
        assertThat(summary.instancedTriangles()).isEqualTo((long) TREES * tree);
    }

    @Test
    void aMeshRepeatedOnlyAFewTimesStaysFlat() throws Exception {
        Scene two = forest(2);
        assertThat(two.instances().isEmpty()).isTrue();
        assertThat(two.flatTriangleCount()).isEqualTo(two.triangleCount());
        assertThat(ByteBuffer.wrap(ScenePackage.encode(two), 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt())
                .as("a scene without instances keeps format 4").isEqualTo(4);
    }

    /**
     * A quad (two triangles) on a node moved to z = -5 and placed by EXT_mesh_gpu_instancing at x = -2, 0 and 2, the
     * last twice as large; {@code scales} SCALE rows (3 matches the placements).
     */
    private static byte[] gpuInstanced(int scales) {
        ByteBuffer bin = ByteBuffer.allocate(48 + 36 + 36).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[] {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0}) {
            bin.putFloat(f);
        }
        for (float f : new float[] {-2, 0, 0, 0, 0, 0, 2, 0, 0}) {
            bin.putFloat(f);
        }
        for (float f : new float[] {1, 1, 1, 1, 1, 1, 2, 2, 2}) {
            bin.putFloat(f);
        }
        String data = java.util.Base64.getEncoder().encodeToString(bin.array());
        String json = """
                {"asset": {"version": "2.0"}, "extensionsUsed": ["EXT_mesh_gpu_instancing"],
                 "scene": 0, "scenes": [{"nodes": [0]}],
                 "nodes": [{"name": "quads", "mesh": 0, "translation": [0, 0, -5],
                            "extensions": {"EXT_mesh_gpu_instancing": {"attributes": {"TRANSLATION": 1, "SCALE": 2}}}}],
                 "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 3}]}],
                 "buffers": [{"byteLength": 126, "uri": "data:application/octet-stream;base64,%s"}],
                 "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 48},
                                 {"buffer": 0, "byteOffset": 48, "byteLength": 36},
                                 {"buffer": 0, "byteOffset": 84, "byteLength": 36},
                                 {"buffer": 0, "byteOffset": 120, "byteLength": 6}],
                 "accessors": [{"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3",
                                "min": [0, 0, 0], "max": [1, 1, 0]},
                               {"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC3"},
                               {"bufferView": 2, "componentType": 5126, "count": %d, "type": "VEC3"},
                               {"bufferView": 3, "componentType": 5121, "count": 6, "type": "SCALAR"}]}
                """.formatted(data, scales);
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void gpuInstancingPlacementsBecomeInstances() throws Exception {
        Scene scene = SceneImporter.importScene(withIndices(gpuInstanced(3)), "gltf");
        assertThat(scene.triangleCount()).isEqualTo(2);
        assertThat(scene.instances().count()).isEqualTo(3);
        assertThat(scene.placedTriangleCount()).isEqualTo(6);
        float[] last = scene.instances().worldBox(2);
        assertThat(last[0]).isCloseTo(2f, org.assertj.core.api.Assertions.within(1e-4f));
        assertThat(last[3]).isCloseTo(4f, org.assertj.core.api.Assertions.within(1e-4f));
        assertThat(last[2]).isCloseTo(-5f, org.assertj.core.api.Assertions.within(1e-4f));

        Scene unreadable = SceneImporter.importScene(withIndices(gpuInstanced(2)), "gltf");
        assertThat(unreadable.instances().isEmpty()).isTrue();
        assertThat(unreadable.triangleCount()).isEqualTo(2);
        assertThat(unreadable.unsupported()).anyMatch(u -> u.contains("EXT_mesh_gpu_instancing") && u.contains("different counts"));
    }

    /** The document with the quad's six indices appended to its buffer. */
    private static byte[] withIndices(byte[] json) {
        String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        int start = text.indexOf("base64,") + 7;
        int end = text.indexOf('"', start);
        byte[] bin = java.util.Base64.getDecoder().decode(text.substring(start, end));
        byte[] full = Arrays.copyOf(bin, bin.length + 6);
        byte[] indices = {0, 1, 2, 0, 2, 3};
        System.arraycopy(indices, 0, full, bin.length, 6);
        return (text.substring(0, start) + java.util.Base64.getEncoder().encodeToString(full) + text.substring(end))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theThumbnailDrawsTheInstances() throws Exception {
        Scene scene = forest(TREES);
        TileImage image = Thumbnail.render(scene, 64, 48);
        int drawn = 0;
        for (int i = 0; i < 64 * 48; i++) {
            if (image.rgb()[i * 3] != scene.environment().r() || image.rgb()[i * 3 + 1] != scene.environment().g()) {
                drawn++;
            }
        }
        assertThat(drawn).as("pixels the trees cover").isGreaterThan(64 * 48 / 20);
    }

    @Test
    void instancesThatNameNoMeshOrCannotBeInvertedAreRefused() throws Exception {
        byte[] pkg = ScenePackage.encode(forest(TREES));
        int last = pkg.length - 52; // the last instance: its mesh, then its twelve floats
        byte[] badMesh = pkg.clone();
        ByteBuffer.wrap(badMesh).order(ByteOrder.LITTLE_ENDIAN).putInt(last, 7);
        assertThatThrownBy(() -> ScenePackage.decode(badMesh)).isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("names mesh 7");
        byte[] flattened = pkg.clone();
        ByteBuffer b = ByteBuffer.wrap(flattened).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 12; k++) {
            b.putFloat(last + 4 + k * 4, 0f);
        }
        assertThatThrownBy(() -> ScenePackage.decode(flattened)).isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("not invertible");
        byte[] tooMany = pkg.clone();
        ByteBuffer.wrap(tooMany).order(ByteOrder.LITTLE_ENDIAN).putInt(pkg.length - TREES * 52 - 4, Integer.MAX_VALUE);
        assertThatThrownBy(() -> ScenePackage.decode(tooMany)).isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("instance count");
    }
}
