package farm.render.coordinator.intake;

import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.core.scene.testing.SphereFieldGlb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A binary glTF of 3.5 million triangles through the real raw upload and isolated import with the default limits:
 * accepted, its package (over 100 MiB, at about 35 bytes per triangle) stored, and the coordinator's live heap hardly
 * moves while it is.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class LargeSceneIntakeTest {
    private static final long MIB = 1L << 20;
    private static final String UPLOADER = TestAccounts.fresh("large");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URL root;

    @Inject
    ObjectStorage storage;

    @TempDir
    Path dir;

    @Test
    void aGlbOfMillionsOfTrianglesIsAcceptedWithTheHeapFlat() throws Exception {
        Path glb = dir.resolve("millions.glb");
        long triangles = SphereFieldGlb.write(glb, 3_500_000);
        String digest = SceneIntake.sha256Hex(glb);
        UploadStreamingTest.HeapWatch heap = new UploadStreamingTest.HeapWatch();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(heap::sample, 1, 1, TimeUnit.SECONDS);
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            // the import takes longer on a busy machine than the test client's default read timeout
            HttpRequest request = HttpRequest.newBuilder(root.toURI().resolve("api/v1/scenes?filename=millions.glb"))
                    .header("Authorization", "Bearer " + TestAccounts.token(UPLOADER))
                    .header("Content-Type", "application/octet-stream")
                    .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofFile(glb)).build();
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } finally {
            sampler.shutdownNow();
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("\"digest\":\"" + digest + "\"", "\"triangles\":" + triangles, "\"meshes\":10");
        heap.sample();
        long pkg = storage.size("scenes/" + digest + "/scene.pkg");
        System.out.printf("%d-triangle GLB (%d MiB): intake %.1f s, package %d MiB; %s%n", triangles, Files.size(glb) / MIB,
                (System.nanoTime() - start) / 1e9, pkg / MIB, heap);
        assertThat(pkg).as("the package is far larger than the heap growth allowed below").isGreaterThan(100 * MIB);
        assertThat(heap.growthBytes()).as("live heap growth while a %d MiB package is compiled and stored", pkg / MIB)
                .isLessThan(48 * MIB);
        assertThat(storage.exists("scenes/" + digest + "/thumbnail.png")).isTrue();
    }
}
