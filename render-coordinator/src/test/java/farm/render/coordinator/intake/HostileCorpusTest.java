package farm.render.coordinator.intake;

import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.HostileScenes;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.digest.Digests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static farm.render.coordinator.testing.TestAccounts.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file of the hostile corpus is refused with a 4xx problem and a reason, nothing is stored,
 * the coordinator stays healthy, and a second pass leaves the heap where the first left it.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class HostileCorpusTest {
    private static final String UPLOADER = TestAccounts.fresh("uploader");

    @Inject
    ObjectStorage storage;

    private List<String> sendCorpus() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, HostileScenes.Upload> e : HostileScenes.corpus().entrySet()) {
            HostileScenes.Upload upload = e.getValue();
            Response r = as(UPLOADER).contentType("application/octet-stream").body(upload.bytes())
                    .queryParam("filename", upload.filename()).post("/api/v1/scenes");
            String detail = r.getContentType().startsWith("application/problem+json") ? r.jsonPath().getString("detail") : null;
            if (r.statusCode() < 400 || r.statusCode() > 499 || detail == null || detail.isBlank()) {
                problems.add(e.getKey() + ": HTTP " + r.statusCode() + " " + r.asString());
            }
            if (!storage.list("scenes/" + Digests.sha256Hex(upload.bytes()) + "/").isEmpty()) {
                problems.add(e.getKey() + ": objects were stored");
            }
            System.out.printf("hostile %-42s -> %d %s%n", e.getKey(), r.statusCode(), detail);
        }
        return problems;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void everyHostileFileIsRefusedWithAReasonAndTheServiceStaysUp() {
        assertThat(sendCorpus()).isEmpty();
        given().get("/q/health/ready").then().statusCode(200);

        long afterFirst = heapAfterGc();
        assertThat(sendCorpus()).isEmpty();
        long afterSecond = heapAfterGc();
        System.out.printf("heap after first pass %d MiB, after second pass %d MiB%n", afterFirst >> 20, afterSecond >> 20);
        // Imports run in child processes: a second pass must not leave the coordinator's heap higher.
        assertThat(afterSecond).isLessThan(afterFirst + (32L << 20));
    }

    @Test
    void aPathInTheFileNameIsReducedToItsLastPartAndStoredOnlyUnderTheDigest() {
        byte[] scene = TinyScenes.gltf("traversal-name");
        String digest = Digests.sha256Hex(scene);
        as(UPLOADER).contentType("application/octet-stream").body(scene).queryParam("filename", "../../../../etc/evil.gltf")
                .post("/api/v1/scenes").then().statusCode(201);
        assertThat(as(UPLOADER).get("/api/v1/scenes/" + digest).jsonPath().getString("filename")).isEqualTo("evil.gltf");
        assertThat(storage.list("scenes/" + digest + "/")).allSatisfy(key -> assertThat(key).startsWith("scenes/" + digest + "/"));
    }
}
