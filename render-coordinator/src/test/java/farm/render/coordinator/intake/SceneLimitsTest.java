package farm.render.coordinator.intake;

import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.core.digest.Digests;
import farm.render.core.scene.testing.SphereFieldGlb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static farm.render.coordinator.testing.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Scenes over each of the intake's limits, through the real upload and isolated import, with limits small
 * enough that each attack takes seconds: every one is a 413 that names its limit, and nothing is stored.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
@TestProfile(SceneLimitsTest.SmallLimits.class)
class SceneLimitsTest {
    private static final String UPLOADER = TestAccounts.fresh("limits");

    /** 20,000 triangles, 256 KiB packages (about 7,500 triangles of smooth spheres) and imports of 64 MiB at most. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("farm.intake.max-triangles", "20000", "farm.intake.import-max-output-bytes", "262144",
                    "farm.intake.import-heap-base-mb", "32", "farm.intake.import-heap-per-source-byte", "0",
                    "farm.intake.import-heap-mb", "64");
        }
    }

    @Inject
    ObjectStorage storage;

    @TempDir
    Path dir;

    private void refusedNaming(long triangles, String limitDetail) throws Exception {
        Path glb = dir.resolve(triangles + ".glb");
        SphereFieldGlb.write(glb, triangles);
        String digest = Digests.sha256Hex(Files.readAllBytes(glb));
        as(UPLOADER).contentType("application/octet-stream").body(glb.toFile()).queryParam("filename", "spheres.glb")
                .post("/api/v1/scenes")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("scene-over-limit"))
                .body("detail", org.hamcrest.Matchers.containsString(limitDetail));
        assertThat(storage.list("scenes/" + digest + "/")).as("nothing stored for a refused scene").isEmpty();
    }

    @Test
    void tooManyTrianglesIsA413NamingTheTriangleLimit() throws Exception {
        refusedNaming(30_000, "triangles; this farm takes at most 20000");
    }

    @Test
    void aPackageOverItsByteLimitIsA413NamingIt() throws Exception {
        refusedNaming(12_000, "this farm takes packages of at most 262144 bytes");
    }

    @Test
    void anImportThatNeedsMoreThanTheHeapCeilingIsA413NamingTheMemoryNotABrokenFile() throws Exception {
        refusedNaming(400_000, "needs more than 64 MiB to import");
    }

    @Test
    void aSceneWithinTheLimitsIsStillAccepted() throws Exception {
        Path glb = dir.resolve("small.glb");
        long triangles = SphereFieldGlb.write(glb, 2_000);
        as(UPLOADER).contentType("application/octet-stream").body(glb.toFile()).queryParam("filename", "small.glb")
                .post("/api/v1/scenes")
                .then().statusCode(201).body("triangles", equalTo((int) triangles));
    }
}
