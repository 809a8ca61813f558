package farm.render.core.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import farm.render.core.bvh.Bvh;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.joml.Vector3f;

class ScenePackageTest {
    private static Scene randomScene(int triangles, long seed) {
        Random r = new Random(seed);
        float[] p = new float[triangles * 9];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextFloat() * 10;
        }
        int[] ids = new int[triangles];
        for (int i = 0; i < triangles; i++) {
            ids[i] = i % 2;
        }
        Camera camera = new Camera(new Vector3f(5, 5, 20), new Vector3f(0, 0, -1), new Vector3f(0, 1, 0), 0.7f);
        List<Material> materials = List.of(new Material("a", new Rgb(0.5f, 0.5f, 0.5f), Rgb.BLACK, 0.2f, 0.4f, 1f, true),
                new Material("b", new Rgb(1, 1, 1), new Rgb(2, 2, 2)));
        List<PunctualLight> lights = List.of(PunctualLight.point(new Vector3f(1, 2, 3), new Rgb(5, 5, 5)),
                PunctualLight.directional(new Vector3f(0, -1, 0), new Rgb(1, 1, 1)),
                new PunctualLight(PunctualLight.Kind.SPOT, new Vector3f(0, 4, 0), new Vector3f(0, -1, 0), new Rgb(3, 3, 3), 0.2f, 0.4f));
        return new Scene(camera, materials, p, ids, List.of("note"), lights, new Rgb(0.1f, 0.2f, 0.3f));
    }

    @Test
    void aLargeSceneEncodesToTheSameBytesAndRoundTrips() throws Exception {
        byte[] first = ScenePackage.encode(randomScene(120_000, 1));
        byte[] second = ScenePackage.encode(randomScene(120_000, 1));
        assertThat(first).isEqualTo(second);
        Scene decoded = ScenePackage.decode(first);
        Bvh exact = randomScene(120_000, 1).bvh();
        assertThat(decoded.bvh().links()).isEqualTo(exact.links());
        assertThat(decoded.bvh().primitives()).isEqualTo(exact.primitives());
        assertThat(decoded.lights()).hasSize(3);
        assertThat(decoded.environment()).isEqualTo(new Rgb(0.1f, 0.2f, 0.3f));
        assertThat(decoded.materials().get(0).metallic()).isEqualTo(0.2f);
        assertThat(decoded.materials().get(0).doubleSided()).isTrue();
        assertThat(ScenePackage.encode(decoded)).isEqualTo(first);
    }

    @Test
    void aPackageWithACorruptHierarchyIsRefused() {
        byte[] pkg = ScenePackage.encode(randomScene(100, 2));
        // The last int before the one unsupported note ("note": length 4 + 4 bytes, count 4) is the order's tail;
        // after the note come the texture count (4), the environment map's size (8) and the still scene's animation
        // section (rate, start, three empty counts, camera node and three vectors: 60).
        int orderTail = pkg.length - 60 - 12 - 4 - 8 - 4;
        ByteBuffer b = ByteBuffer.wrap(pkg).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(orderTail, b.getInt(orderTail - 4));
        assertThatThrownBy(() -> ScenePackage.decode(pkg)).isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("hierarchy");
    }

    @Test
    void anOlderVersionIsRefused() {
        byte[] pkg = ScenePackage.encode(randomScene(10, 3));
        ByteBuffer.wrap(pkg).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1);
        assertThatThrownBy(() -> ScenePackage.decode(pkg)).isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("version 1");
    }

    /** Where the geometry section starts: after the magic, version, camera and materials. */
    private static int geometryOffset(Scene scene) {
        int at = 8 + 4 + ScenePackage.CAMERA_BYTES + 4;
        for (Material m : scene.materials()) {
            at += 4 + m.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + ScenePackage.MATERIAL_BYTES;
        }
        return at;
    }

    @Test
    void cornersNamingAMissingVertexAndMaterialRunsPastTheTrianglesAreRefused() {
        Scene scene = randomScene(50, 4);
        IndexedVertices geometry = IndexedVertices.of(scene.positions(), scene.shading());
        int corners = geometryOffset(scene) + 12 + geometry.vertices().length * 4;
        byte[] badCorner = ScenePackage.encode(scene);
        ByteBuffer.wrap(badCorner).order(ByteOrder.LITTLE_ENDIAN).putInt(corners + 7 * 4, geometry.vertexCount());
        assertThatThrownBy(() -> ScenePackage.decode(badCorner)).isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("names vertex " + geometry.vertexCount());

        int runs = corners + geometry.corners().length * 4;
        byte[] longRun = ScenePackage.encode(scene);
        ByteBuffer.wrap(longRun).order(ByteOrder.LITTLE_ENDIAN).putInt(runs + 4, 51);
        assertThatThrownBy(() -> ScenePackage.decode(longRun)).isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("material run 0");
    }

    @Test
    void aSmoothMeshStoresEachSharedVertexOnce() throws Exception {
        java.nio.file.Path glb = java.nio.file.Files.createTempFile("spheres", ".glb");
        try {
            farm.render.core.scene.testing.SphereFieldGlb.write(glb, 20_000);
            Scene scene = SceneImporter.importScene(java.nio.file.Files.readAllBytes(glb), "glb");
            IndexedVertices geometry = IndexedVertices.of(scene.positions(), scene.shading());
            assertThat(geometry.vertexCount()).as("a smooth mesh shares each vertex between about six corners")
                    .isLessThan(scene.triangleCount());
            assertThat(geometry.positions()).isEqualTo(scene.positions());
            assertThat(geometry.shading().normals()).isEqualTo(scene.shading().normals());
            long perCorner = scene.triangleCount() * (36L + 4 + 36); // format 3: positions, material, normals per corner
            long indexed = geometry.vertices().length * 4L + geometry.corners().length * 4L + 12;
            assertThat(indexed).as("indexed geometry against per-corner").isLessThan(perCorner / 2);
        } finally {
            java.nio.file.Files.deleteIfExists(glb);
        }
    }
}
