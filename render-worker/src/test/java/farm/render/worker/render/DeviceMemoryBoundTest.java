package farm.render.worker.render;

import farm.render.core.planning.DeviceMemoryNeed;
import farm.render.core.scene.EnvironmentMap;
import farm.render.core.scene.Material;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.core.scene.ScenePackage;
import farm.render.core.scene.Shading;
import farm.render.core.scene.testing.SphereFieldGlb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator's bound on a scene's device memory, worked out from its triangles and package bytes alone, holds
 * for what the renderer uploads: flat and emissive, smooth-shaded, textured, one triangle under a one-texel-wide
 * environment map (the worst case per package byte), and a forest of instances of one small tree.
 */
class DeviceMemoryBoundTest {
    @TempDir
    Path dir;

    private static long uploaded(Scene scene) {
        long bytes = 0;
        for (ByteBuffer b : PackedScene.of(scene).buffers()) {
            bytes += b.capacity();
        }
        return bytes;
    }

    private static Path sample(String name) {
        Path relative = Path.of("samples", name, name + ".gltf");
        return Files.isRegularFile(relative) ? relative : Path.of("..").resolve(relative);
    }

    /** One triangle with every shading attribute, under a 1x512 environment map. */
    private static Scene worstCase() {
        float[] positions = {0, 0, -1, 1, 0, -1, 0, 1, -1};
        float[] normals = {0, 0, 1, 0, 0, 1, 0, 0, 1};
        float[] uv = new float[6];
        float[] tangents = {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1};
        float[] sky = new float[512 * 3];
        java.util.Arrays.fill(sky, 1f);
        return new Scene(TestScenes.lookingUp(), List.of(new Material("glow", new Rgb(0.5f, 0.5f, 0.5f), new Rgb(1, 1, 1))),
                positions, new int[] {0}, List.of(), List.of(), Rgb.BLACK, List.of(), new Shading(normals, tangents, uv, uv),
                new EnvironmentMap(1, 512, sky));
    }

    @Test
    void theBoundFromTrianglesAndPackageBytesCoversTheUploadedBuffers() throws Exception {
        Path field = dir.resolve("field.glb");
        SphereFieldGlb.write(field, 20_000);
        Map<String, Scene> scenes = new LinkedHashMap<>();
        scenes.put("emissive box", TestScenes.boxWithCeilingLight(10f));
        scenes.put("sphere field", SceneImporter.importScene(Files.readAllBytes(field), "glb"));
        scenes.put("texture yard", SceneImporter.importScene(Files.readAllBytes(sample("texture-yard")), "gltf"));
        scenes.put("one triangle, thin sky", worstCase());
        Path forest = dir.resolve("forest.glb");
        farm.render.core.scene.testing.ForestGlb.write(forest, 2_000, 300);
        scenes.put("forest of 300 instances", SceneImporter.importScene(Files.readAllBytes(forest), "glb"));
        for (Map.Entry<String, Scene> e : scenes.entrySet()) {
            Scene scene = e.getValue();
            long packageBytes = ScenePackage.encode(scene).length;
            long bound = DeviceMemoryNeed.upperBound(scene.triangleCount(), scene.instances().count(), packageBytes, 0)
                    .sceneBytes();
            long exact = uploaded(scene);
            System.out.printf(Locale.ROOT, "%s: %d triangles, package %d B, uploaded %d B (%.0f B/triangle), bound %d B (%.2fx)%n",
                    e.getKey(), scene.triangleCount(), packageBytes, exact, exact / (double) scene.triangleCount(), bound,
                    bound / (double) exact);
            assertThat(exact).as(e.getKey()).isLessThanOrEqualTo(bound);
        }
    }
}
