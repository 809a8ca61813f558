package farm.render.core.scene;

import farm.render.core.digest.Digests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples' canonical packages keep their bytes: a scene uploaded again gets the digest it had, and frames pose as before. */
class SampleDigestsTest {
    private static Scene sample(String name) throws Exception {
        return SceneImporter.importScene(Files.readAllBytes(Path.of("../samples/" + name + "/" + name + ".gltf")), "gltf");
    }

    @ParameterizedTest
    @CsvSource({
            "cornell-box, e90792d199228829ad7b553c6a1ac3e431b3d6804503428775078b3f971e7bbe",
            "moving-sphere, 1a0ff7014eb69b532c63765aa4e8cf7c2fc3c85367f234e03d8927fdeb4f753f",
            "sphere-trio, a90371dd383e8a0d460622dabf4e05a07501ffdbbeb3353e78addad8fe08127e",
            "texture-yard, 40074e15bc503dc34ac77a29f70bf8d375c758f02c70e607b068aa8ec768f8fb"})
    void samplePackagesKeepTheirDigests(String name, String digest) throws Exception {
        assertThat(Digests.sha256Hex(ScenePackage.encode(sample(name)))).isEqualTo(digest);
    }

    @ParameterizedTest
    @CsvSource({
            "1, 70d9ec8177d0de88e2c84ac62ec7d441bce8f1cf1df7b859742934e9cbe08b7e",
            "13, 3ff1c77dc47bbf60cf1ec19f75734a9cd5f38245e9ffb04a536c9be9fcbc03b6",
            "25, be530b8b903f4e71432c59a0f5fda9185338596cad51ba0e7b80f1780921d6d0"})
    void posedFramesKeepTheirDigests(int frame, String digest) throws Exception {
        assertThat(Digests.sha256Hex(ScenePackage.encode(sample("moving-sphere").posed(frame)))).isEqualTo(digest);
    }
}
