package farm.render.coordinator.intake;

import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.digest.Digests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

/** Scene upload over HTTP against real S3Proxy, PostgreSQL and the isolated Assimp import. */
@QuarkusTest
@WithTestResource(FarmServices.class)
class SceneUploadTest {
    @Inject
    ObjectStorage storage;

    private void assertNothingStoredFor(byte[] source) {
        String digest = Digests.sha256Hex(source);
        List<String> keys = storage.list("scenes/" + digest + "/");
        assertThat(keys).isEmpty();
        given().get("/api/v1/scenes/" + digest).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void randomBytesAreRefusedWithAReasonAndNothingStored() {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        given().contentType("application/octet-stream").body(junk).queryParam("filename", "junk.glb")
                .post("/api/v1/scenes")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/invalid-scene"))
                .body("status", equalTo(422))
                .body("detail", not(emptyOrNullString()))
                .body("field", equalTo("body"));
        assertNothingStoredFor(junk);
    }

    @Test
    void aTruncatedGlbIsRefusedWithAReasonAndNothingStored() {
        byte[] cut = TinyScenes.truncatedGlb();
        given().contentType("application/octet-stream").body(cut).queryParam("filename", "cut.glb")
                .post("/api/v1/scenes")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/invalid-scene"))
                .body("detail", not(emptyOrNullString()));
        assertNothingStoredFor(cut);
    }

    @Test
    void unknownExtensionsAndMissingNamesAreRefused() {
        given().contentType("application/octet-stream").body(new byte[]{1, 2, 3}).queryParam("filename", "scene.txt")
                .post("/api/v1/scenes")
                .then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/unsupported-scene-format"))
                .body("field", equalTo("filename"))
                .body("detail", containsString("gltf"));
        given().contentType("application/octet-stream").body(new byte[]{1, 2, 3})
                .post("/api/v1/scenes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("filename"));
    }

    @Test
    void aValidGltfIsStoredOnceAndDescribed() {
        byte[] gltf = TinyScenes.gltf("upload-" + java.util.UUID.randomUUID());
        String digest = Digests.sha256Hex(gltf);
        given().contentType("application/octet-stream").body(gltf).queryParam("filename", "triangle.gltf")
                .post("/api/v1/scenes")
                .then().statusCode(201).contentType("application/json")
                .body("digest", equalTo(digest))
                .body("filename", equalTo("triangle.gltf"))
                .body("triangles", equalTo(1))
                .body("animation.frames", equalTo(0))
                .body("packageDigest", not(emptyOrNullString()));
        assertThat(storage.list("scenes/" + digest + "/"))
                .containsExactlyInAnyOrder("scenes/" + digest + "/source.gltf", "scenes/" + digest + "/scene.pkg");
        String packageDigest = Digests.sha256Hex(storage.get("scenes/" + digest + "/scene.pkg"));
        given().contentType("application/octet-stream").body(gltf).queryParam("filename", "again.gltf")
                .post("/api/v1/scenes")
                .then().statusCode(200)
                .body("digest", equalTo(digest))
                .body("filename", equalTo("triangle.gltf"))
                .body("packageDigest", equalTo(packageDigest));
    }

    @Test
    void anAnimatedSceneReportsTheFramesItSpans() throws Exception {
        byte[] gltf = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../samples/moving-sphere/moving-sphere.gltf"));
        given().contentType("application/octet-stream").body(gltf).queryParam("filename", "moving-sphere.gltf")
                .post("/api/v1/scenes")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)))
                .body("animation.frames", equalTo(25))
                .body("animation.firstFrame", equalTo(1))
                .body("animation.lastFrame", equalTo(25))
                .body("animation.frameRate", equalTo(24.0f));
        given().get("/api/v1/scenes/" + Digests.sha256Hex(gltf)).then().statusCode(200)
                .body("animation.frames", equalTo(25))
                .body("animation.lastFrame", equalTo(25));
    }

    @Test
    void aValidGlbIsAccepted() {
        given().contentType("application/octet-stream").body(TinyScenes.glb()).queryParam("filename", "triangle.glb")
                .post("/api/v1/scenes")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)))
                .body("triangles", equalTo(1));
    }
}
