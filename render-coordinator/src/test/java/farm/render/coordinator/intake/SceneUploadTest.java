package farm.render.coordinator.intake;

import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.digest.Digests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static farm.render.coordinator.testing.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

/** Scene upload over HTTP against real S3Proxy, PostgreSQL and the isolated Assimp import. */
@QuarkusTest
@WithTestResource(FarmServices.class)
class SceneUploadTest {
    private static final String UPLOADER = TestAccounts.fresh("uploader");

    @Inject
    ObjectStorage storage;

    private void assertNothingStoredFor(byte[] source) {
        String digest = Digests.sha256Hex(source);
        List<String> keys = storage.list("scenes/" + digest + "/");
        assertThat(keys).isEmpty();
        as(UPLOADER).get("/api/v1/scenes/" + digest).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void randomBytesAreRefusedWithAReasonAndNothingStored() {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        as(UPLOADER).contentType("application/octet-stream").body(junk).queryParam("filename", "junk.glb")
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
        as(UPLOADER).contentType("application/octet-stream").body(cut).queryParam("filename", "cut.glb")
                .post("/api/v1/scenes")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/invalid-scene"))
                .body("detail", not(emptyOrNullString()));
        assertNothingStoredFor(cut);
    }

    @Test
    void unknownExtensionsAndMissingNamesAreRefused() {
        as(UPLOADER).contentType("application/octet-stream").body(new byte[]{1, 2, 3}).queryParam("filename", "scene.txt")
                .post("/api/v1/scenes")
                .then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/unsupported-scene-format"))
                .body("field", equalTo("filename"))
                .body("detail", containsString("gltf"));
        as(UPLOADER).contentType("application/octet-stream").body(new byte[]{1, 2, 3})
                .post("/api/v1/scenes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("filename"));
    }

    @Test
    void aValidGltfIsStoredOnceAndDescribed() {
        byte[] gltf = TinyScenes.gltf("upload-" + java.util.UUID.randomUUID());
        String digest = Digests.sha256Hex(gltf);
        as(UPLOADER).contentType("application/octet-stream").body(gltf).queryParam("filename", "triangle.gltf")
                .post("/api/v1/scenes")
                .then().statusCode(201).contentType("application/json")
                .body("digest", equalTo(digest))
                .body("filename", equalTo("triangle.gltf"))
                .body("triangles", equalTo(1))
                .body("animation.frames", equalTo(0))
                .body("packageDigest", not(emptyOrNullString()));
        assertThat(storage.list("scenes/" + digest + "/"))
                .containsExactlyInAnyOrder("scenes/" + digest + "/source.gltf", "scenes/" + digest + "/scene.pkg",
                        "scenes/" + digest + "/thumbnail.png");
        String packageDigest = Digests.sha256Hex(storage.get("scenes/" + digest + "/scene.pkg"));
        as(UPLOADER).contentType("application/octet-stream").body(gltf).queryParam("filename", "again.gltf")
                .post("/api/v1/scenes")
                .then().statusCode(200)
                .body("digest", equalTo(digest))
                .body("filename", equalTo("triangle.gltf"))
                .body("packageDigest", equalTo(packageDigest));
    }

    @Test
    void anAnimatedSceneReportsTheFramesItSpans() throws Exception {
        byte[] gltf = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../samples/moving-sphere/moving-sphere.gltf"));
        as(UPLOADER).contentType("application/octet-stream").body(gltf).queryParam("filename", "moving-sphere.gltf")
                .post("/api/v1/scenes")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)))
                .body("animation.frames", equalTo(25))
                .body("animation.firstFrame", equalTo(1))
                .body("animation.lastFrame", equalTo(25))
                .body("animation.frameRate", equalTo(24.0f));
        as(UPLOADER).get("/api/v1/scenes/" + Digests.sha256Hex(gltf)).then().statusCode(200)
                .body("animation.frames", equalTo(25))
                .body("animation.lastFrame", equalTo(25));
    }

    @Test
    void aValidGlbIsAccepted() {
        as(UPLOADER).contentType("application/octet-stream").body(TinyScenes.glb()).queryParam("filename", "triangle.glb")
                .post("/api/v1/scenes")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)))
                .body("triangles", equalTo(1));
    }

    @Test
    void aForestOfSharedMeshesIsStoredOnceAndItsSummaryCountsTheInstances() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("forest-", ".glb");
        try {
            farm.render.core.scene.testing.ForestGlb.Written forest = farm.render.core.scene.testing.ForestGlb.write(file, 3_000, 40);
            byte[] glb = java.nio.file.Files.readAllBytes(file);
            as(UPLOADER).contentType("application/octet-stream").body(glb).queryParam("filename", "forest.glb")
                    .post("/api/v1/scenes")
                    .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)))
                    .body("triangles", equalTo((int) forest.treeTriangles()))
                    .body("instances", equalTo(40))
                    .body("instancedTriangles", equalTo((int) forest.sceneTriangles()));
            as(UPLOADER).get("/api/v1/scenes/" + Digests.sha256Hex(glb)).then().statusCode(200)
                    .body("instances", equalTo(40));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void theCornellBoxSummaryCountsItsLightAndItsThumbnailShowsIt() throws Exception {
        byte[] cornell = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../samples/cornell-box/cornell-box.gltf"));
        String digest = Digests.sha256Hex(cornell);
        as(UPLOADER).contentType("application/octet-stream").body(cornell).queryParam("filename", "cornell-box.gltf")
                .post("/api/v1/scenes")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)))
                .body("triangles", equalTo(32))
                .body("emissiveTriangles", org.hamcrest.Matchers.greaterThan(0))
                .body("textures", equalTo(0))
                .body("meshes", equalTo(1))
                .body("cameras", equalTo(1))
                .body("instances", equalTo(0))
                .body("animation.frames", equalTo(0));
        as(UPLOADER).get("/api/v1/scenes/" + digest).then().statusCode(200).body("meshes", equalTo(1)).body("cameras", equalTo(1));
        byte[] moving = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../samples/moving-sphere/moving-sphere.gltf"));
        as(UPLOADER).contentType("application/octet-stream").body(moving).queryParam("filename", "moving-sphere.gltf")
                .post("/api/v1/scenes")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)))
                .body("meshes", equalTo(3))
                .body("cameras", equalTo(1));
        byte[] png = as(UPLOADER).get("/api/v1/scenes/" + digest + "/thumbnail.png")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(256);
        assertThat(image.getHeight()).isEqualTo(256);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < 256; y += 4) {
            for (int x = 0; x < 256; x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("distinct colours in the thumbnail").hasSizeGreaterThan(4);
        assertThat(storage.list("scenes/" + digest + "/")).contains("scenes/" + digest + "/thumbnail.png");
        as(UPLOADER).get("/api/v1/scenes/" + "0".repeat(64) + "/thumbnail.png")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
