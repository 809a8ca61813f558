package farm.render.core.scene;

import farm.render.core.digest.Digests;
import farm.render.core.preview.Thumbnail;
import farm.render.core.scene.testing.SphereFieldGlb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The child import against each limit it enforces, with limits small enough to pass in seconds. */
class IsolatedImportTest {
    private static final ImportHeap HEAP = new ImportHeap(256, 32, 1024);
    private static final IsolatedImport.Limits ROOMY = new IsolatedImport.Limits(1_000_000, 64 << 20);

    @TempDir
    Path dir;

    private static IsolatedImport importer(ImportHeap heap, IsolatedImport.Limits limits) {
        return new IsolatedImport(IsolatedImport.defaultClasspath(), heap, Duration.ofSeconds(60), limits);
    }

    @Test
    void theChildStreamsThePackageToTheCallersFileWithItsDigestSummaryAndThumbnail() throws Exception {
        Path pkg = dir.resolve("cornell.pkg");
        IsolatedImport.Compiled compiled = importer(HEAP, ROOMY).compile(SceneImporterTest.CORNELL, "gltf", pkg);
        byte[] expected = ScenePackage.encode(SceneImporter.importScene(Files.readAllBytes(SceneImporterTest.CORNELL), "gltf"));
        assertThat(Files.readAllBytes(pkg)).as("the same canonical bytes as an import in this JVM").isEqualTo(expected);
        assertThat(compiled.packageBytes()).isEqualTo(expected.length);
        assertThat(compiled.packageDigest()).isEqualTo(Digests.sha256Hex(expected));
        assertThat(compiled.summary().triangles()).isEqualTo(32);
        assertThat(compiled.summary().meshes()).as("the Cornell box declares one mesh and one camera").isEqualTo(1);
        assertThat(compiled.summary().cameras()).isEqualTo(1);
        assertThat(compiled.summary().lights()).isZero();
        assertThat(Arrays.copyOf(compiled.thumbnailPng(), 4)).as("a PNG").isEqualTo(new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        assertThat(compiled.thumbnailPng()).as("drawn beside the encoding, the same picture as in this JVM")
                .isEqualTo(Thumbnail.png(ScenePackage.decode(expected), IsolatedImport.THUMBNAIL_SIZE, IsolatedImport.THUMBNAIL_SIZE));
        assertThat(ScenePackageCounts.read(pkg)).isEqualTo(new ScenePackageCounts(compiled.summary().materials(), 32));

        Path moving = Path.of("../samples/moving-sphere/moving-sphere.gltf");
        assertThat(importer(HEAP, ROOMY).compile(moving, "gltf", dir.resolve("moving.pkg")).summary().meshes())
                .as("room, ball and box meshes").isEqualTo(3);
    }

    @Test
    void aChildThisMachineCannotGiveItsHeapHasRunOutOfMemoryNotBrokenTheFile() {
        assertThat(IsolatedImport.ranOutOfMemory("Error occurred during initialization of VM\n"
                + "Could not reserve enough space for 4194304KB object heap")).isTrue();
        assertThat(IsolatedImport.ranOutOfMemory("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space")).isTrue();
        assertThat(IsolatedImport.ranOutOfMemory("the file could not be read as .glb")).isFalse();
    }

    @Test
    void brokenFilesAreRefusedWithTheImportersReason() throws Exception {
        Path glb = Files.write(dir.resolve("truncated.glb"), Arrays.copyOf("glTF".getBytes(), 40));
        assertThatThrownBy(() -> importer(HEAP, ROOMY).compile(glb, "glb", dir.resolve("a.pkg")))
                .isInstanceOf(InvalidSceneException.class).isNotInstanceOf(SceneLimitException.class)
                .hasMessageContaining("GLB version 0");
        Path obj = Files.writeString(dir.resolve("bad.obj"), "v 0 0 0\nf 1 2 3\n");
        assertThatThrownBy(() -> importer(HEAP, ROOMY).compile(obj, "obj", dir.resolve("b.pkg")))
                .isInstanceOf(InvalidSceneException.class).isNotInstanceOf(SceneLimitException.class)
                .hasMessageContaining("could not be read");
    }

    @Test
    void aSceneOverTheTriangleLimitIsRefusedNamingIt() throws Exception {
        Path glb = dir.resolve("spheres.glb");
        long triangles = SphereFieldGlb.write(glb, 20_000);
        assertThatThrownBy(() -> importer(HEAP, new IsolatedImport.Limits(10_000, 64 << 20)).compile(glb, "glb", dir.resolve("c.pkg")))
                .isInstanceOfSatisfying(SceneLimitException.class, e -> assertThat(e.limit()).isEqualTo(SceneLimitException.Limit.TRIANGLES))
                .hasMessage("the scene has " + triangles + " triangles; this farm takes at most 10000");
    }

    @Test
    void aPackageOverTheByteLimitIsRefusedNamingIt() throws Exception {
        Path glb = dir.resolve("spheres.glb");
        SphereFieldGlb.write(glb, 40_000);
        assertThatThrownBy(() -> importer(HEAP, new IsolatedImport.Limits(1_000_000, 1 << 20)).compile(glb, "glb", dir.resolve("d.pkg")))
                .isInstanceOfSatisfying(SceneLimitException.class, e -> assertThat(e.limit()).isEqualTo(SceneLimitException.Limit.PACKAGE_BYTES))
                .hasMessageContaining("this farm takes packages of at most 1048576 bytes");
    }

    @Test
    void anImportThatRunsOutOfItsHeapAtTheCeilingIsRefusedForTheMemoryItNeeds() throws Exception {
        Path glb = dir.resolve("spheres.glb");
        SphereFieldGlb.write(glb, 400_000);
        ImportHeap tight = new ImportHeap(24, 0, 48); // tried at 24 MiB, then once more at the 48 MiB ceiling
        assertThatThrownBy(() -> importer(tight, ROOMY).compile(glb, "glb", dir.resolve("e.pkg")))
                .isInstanceOfSatisfying(SceneLimitException.class, e -> assertThat(e.limit()).isEqualTo(SceneLimitException.Limit.IMPORT_MEMORY))
                .hasMessage("the scene needs more than 48 MiB to import, the most this farm gives one import");
    }

    @Test
    void theHeapGrowsWithTheSourceUpToItsCeiling() {
        ImportHeap heap = new ImportHeap(256, 32, 4096);
        assertThat(heap.mbFor(0)).isEqualTo(256);
        assertThat(heap.mbFor(24L << 20)).isEqualTo(256 + 768);
        assertThat(heap.mbFor(1L << 30)).isEqualTo(4096);
    }
}
