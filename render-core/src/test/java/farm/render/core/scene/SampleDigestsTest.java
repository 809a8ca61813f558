package farm.render.core.scene;

import farm.render.core.digest.Digests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The samples' canonical packages keep their bytes: a scene uploaded again gets the digest it had, and frames pose as before.
 * Packages stored in the format before indexed vertices (3) still read as the very same scene.
 */
class SampleDigestsTest {
    private static Scene sample(String name) throws Exception {
        return SceneImporter.importScene(Files.readAllBytes(Path.of("../samples/" + name + "/" + name + ".gltf")), "gltf");
    }

    @ParameterizedTest
    @CsvSource({
            "cornell-box, 3e86c36206f72d7b47d36a255e9ca808097c6f0ed3e5a02f58fee52c6554c610",
            "moving-sphere, 495de64a7a3f6b01a8a2890d2a2585b4f47783d26bd21dfb34a3861b8e17f963",
            "sphere-trio, 7aebcc6b6909d7259cb3ad54da0dd2b57a989e73d6bb84c4cf4940b8102362f4",
            "texture-yard, 3d8d850cf639dd5c47e77a9b805eb2d2e545f54542885171e641ed14b36b2fff"})
    void samplePackagesKeepTheirDigests(String name, String digest) throws Exception {
        assertThat(Digests.sha256Hex(ScenePackage.encode(sample(name)))).isEqualTo(digest);
    }

    @ParameterizedTest
    @CsvSource({
            "1, bfaf5724157590f5d12fb9b7d093c9d5734ea20930361f94ebb58f4f705377d1",
            "13, 5cc882a17f9ea232b9cad848356f421803ec8154dba7e75545b0639519235da6",
            "25, 797646aac9e69a0e7c53dd4280dae588c2167b43e5d765e71db4562db43c165b"})
    void posedFramesKeepTheirDigests(int frame, String digest) throws Exception {
        assertThat(Digests.sha256Hex(ScenePackage.encode(sample("moving-sphere").posed(frame)))).isEqualTo(digest);
    }

    @ParameterizedTest
    @CsvSource({"cornell-box", "moving-sphere", "texture-yard"})
    void aPackageOfFormat3ReadsAsTheSceneItWasMadeFrom(String name) throws Exception {
        byte[] stored = Files.readAllBytes(Path.of("src/test/resources/packages-v3/" + name + ".rfscene"));
        assertThat(stored[8]).as("format 3").isEqualTo((byte) 3);
        // both through the decoder, which normalises the camera's vectors
        assertThat(ScenePackage.encode(ScenePackage.decode(stored)))
                .isEqualTo(ScenePackage.encode(ScenePackage.decode(ScenePackage.encode(sample(name)))));
    }
}
