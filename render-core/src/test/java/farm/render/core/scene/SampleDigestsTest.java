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
            "cornell-box, c754bcf582e50b85b64f9346c711670077013895caf14bd667afea5cb36cb089",
            "moving-sphere, dccd0c540c7c667ec73a8f30dbd47056e1ff6bbdb85e67da7abfe34e29085fdd",
            "sphere-trio, e22f77e80a567e4d66f41376d1c69d3519e4b063606cf6b928ac16d5f425cc9d",
            "texture-yard, fa5c8c9774a502e1bd2e6da4d6797e4acbd04033eabd31377b0d455771b8c3e5"})
    void samplePackagesKeepTheirDigests(String name, String digest) throws Exception {
        assertThat(Digests.sha256Hex(ScenePackage.encode(sample(name)))).isEqualTo(digest);
    }

    @ParameterizedTest
    @CsvSource({
            "1, 250d55df028933ca555ddc6e82bfdd9f7b9468b517c7a860d227f22aa782c5d9",
            "13, 8efb953337cf796b3a186360d632b2c0e5fd4cf15435ca988d0926722880e891",
            "25, 01a3d1e52bbde3b29e2aa909c41889db6364d5a071a539480745a5e4aaf157fd"})
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
