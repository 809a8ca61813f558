package farm.render.core.scene.testing;

import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated forest: one mesh in the file, every node's copy in the imported scene, the same bytes each time. */
class ForestGlbTest {
    @TempDir
    Path dir;

    @Test
    void theFileHoldsTheTreeOnceAndTheSceneEveryTree() throws Exception {
        Path one = dir.resolve("one.glb");
        Path many = dir.resolve("many.glb");
        ForestGlb.Written single = ForestGlb.write(one, 2_000, 1);
        ForestGlb.Written forest = ForestGlb.write(many, 2_000, 25);
        assertThat(forest.treeTriangles()).isEqualTo(single.treeTriangles()).isBetween(2_000L, 2_400L);
        assertThat(forest.sceneTriangles()).isEqualTo(25 * forest.treeTriangles());
        // 24 more nodes cost their JSON, never another copy of the mesh
        assertThat(Files.size(many) - Files.size(one)).isLessThan(24 * 200L);
        Scene scene = SceneImporter.importScene(Files.readAllBytes(many), "glb");
        // Nodes that share the mesh become instances: the scene stores the tree once and shows it 25 times.
        assertThat((long) scene.triangleCount()).isEqualTo(forest.treeTriangles());
        assertThat(scene.instances().count()).isEqualTo(25);
        assertThat(scene.placedTriangleCount()).isEqualTo(forest.sceneTriangles());
        ForestGlb.write(one, 2_000, 25);
        assertThat(Files.readAllBytes(one)).isEqualTo(Files.readAllBytes(many));
    }
}
