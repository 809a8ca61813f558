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
