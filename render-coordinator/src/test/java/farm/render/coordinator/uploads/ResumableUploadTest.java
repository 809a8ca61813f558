package farm.render.coordinator.uploads;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.digest.Digests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static farm.render.coordinator.testing.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Resumable uploads: parts PUT straight to real S3Proxy on presigned URLs, resumed after a drop, then imported. */
@QuarkusTest
@WithTestResource(FarmServices.class)
class ResumableUploadTest {
    private static final String UPLOADER = TestAccounts.fresh("multipart");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    ObjectStorage storage;

    @Inject
    FarmConfig config;

    /** A valid one-triangle glTF padded (through the node's name) to several parts. */
    private byte[] scene() {
        String name = "upload-" + UUID.randomUUID() + "-" + "x".repeat((int) (config.uploads().partSizeBytes() * 3.5));
        return TinyScenes.gltf(name);
    }

    private static JsonPath start(byte[] file, String filename, String fingerprint, int status) {
        return as(UPLOADER).contentType("application/json")
                .body(Map.of("filename", filename, "size", file.length, "sha256", Digests.sha256Hex(file), "fingerprint", fingerprint))
                .post("/api/v1/uploads")
                .then().statusCode(status).contentType("application/json")
                .extract().jsonPath();
    }

    private static int put(String url, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] part(byte[] file, long partSize, int number) {
        int from = (int) ((number - 1) * partSize);
        return Arrays.copyOfRange(file, from, (int) Math.min(file.length, from + partSize));
    }

    @Test
    void anUploadDroppedHalfWayResumesWithTheMissingPartsAndGivesTheSameSceneAsAPlainUpload() throws Exception {
        byte[] file = scene();
        String fingerprint = "test-" + UUID.randomUUID();
        JsonPath first = start(file, "padded.gltf", fingerprint, 201);
        String id = first.getString("id");
        long partSize = first.getLong("partSize");
        int count = first.getInt("partCount");
        assertThat(count).isGreaterThanOrEqualTo(4);
        assertThat(first.getList("missingParts")).hasSize(count);

        List<String> urls = first.getList("missingParts.url");
        int half = count / 2;
        for (int n = 1; n <= half; n++) {
            assertThat(put(urls.get(n - 1), part(file, partSize, n))).isEqualTo(200);
        }
        // the connection drops here; the page reloads and starts the same file again
        JsonPath resumed = start(file, "padded.gltf", fingerprint, 200);
        assertThat(resumed.getString("id")).isEqualTo(id);
        assertThat(resumed.getList("storedParts.number", Integer.class)).containsExactlyElementsOf(range(1, half));
        assertThat(resumed.getList("missingParts.number", Integer.class)).containsExactlyElementsOf(range(half + 1, count));
        as(UPLOADER).get("/api/v1/uploads/" + id).then().statusCode(200)
                .body("storedParts.size()", equalTo(half)).body("state", equalTo("OPEN"));

        as(UPLOADER).post("/api/v1/uploads/" + id + "/complete").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/upload-incomplete"))
                .body("detail", containsString("parts [" + (half + 1)));

        List<Integer> numbers = resumed.getList("missingParts.number", Integer.class);
        List<String> rest = resumed.getList("missingParts.url");
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(put(rest.get(i), part(file, partSize, numbers.get(i)))).isEqualTo(200);
        }
        String digest = Digests.sha256Hex(file);
        String packageDigest = as(UPLOADER).post("/api/v1/uploads/" + id + "/complete").then().statusCode(201)
                .body("digest", equalTo(digest)).body("triangles", equalTo(1))
                .extract().path("packageDigest");
        assertThat(storage.list("uploads/" + id + "/")).as("the joined upload is removed once imported").isEmpty();
        as(UPLOADER).get("/api/v1/uploads/" + id).then().statusCode(200)
                .body("state", equalTo("COMPLETED")).body("sceneDigest", equalTo(digest));

        as(UPLOADER).contentType("application/octet-stream").body(file).queryParam("filename", "padded.gltf")
                .post("/api/v1/scenes")
                .then().statusCode(200).body("digest", equalTo(digest)).body("packageDigest", equalTo(packageDigest));
        as(UPLOADER).post("/api/v1/uploads/" + id + "/complete").then().statusCode(200).body("digest", equalTo(digest));
    }

    @Test
    void aPartLargerThanTheDeclaredSizeGivesItIsRefusedAndCanBeSentAgain() throws Exception {
        byte[] file = scene();
        JsonPath upload = start(file, "oversized.gltf", "test-" + UUID.randomUUID(), 201);
        String id = upload.getString("id");
        long partSize = upload.getLong("partSize");
        int count = upload.getInt("partCount");
        List<String> urls = upload.getList("missingParts.url");

        byte[] tooBig = Arrays.copyOf(part(file, partSize, 1), (int) partSize + 100);
        assertThat(put(urls.get(0), tooBig)).isEqualTo(200);
        for (int n = 2; n <= count; n++) {
            assertThat(put(urls.get(n - 1), part(file, partSize, n))).isEqualTo(200);
        }
        // a part number past the declared count has no URL: changing the signed one is refused by the store
        String beyond = urls.get(count - 1).replace("partNumber=" + count, "partNumber=" + (count + 1));
        assertThat(put(beyond, new byte[]{1, 2, 3})).isEqualTo(403);

        as(UPLOADER).post("/api/v1/uploads/" + id + "/complete").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/upload-part-size"))
                .body("detail", containsString("part 1 holds " + (partSize + 100)));
        JsonPath again = as(UPLOADER).get("/api/v1/uploads/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(again.getList("missingParts.number", Integer.class)).containsExactly(1);
        assertThat(put(again.getString("missingParts[0].url"), part(file, partSize, 1))).isEqualTo(200);
        as(UPLOADER).post("/api/v1/uploads/" + id + "/complete").then().statusCode(equalTo(201))
                .body("digest", equalTo(Digests.sha256Hex(file)));
    }

    @Test
    void sizesOverTheLimitAndBytesThatAreNotTheDeclaredFileAreRefused() throws Exception {
        long max = config.intake().maxUploadBytes();
        as(UPLOADER).contentType("application/json").body(Map.of("filename", "huge.glb", "size", max + 1))
                .post("/api/v1/uploads")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/upload-too-large")).body("field", equalTo("size"));
        as(UPLOADER).contentType("application/json").body(Map.of("filename", "notes.txt", "size", 10))
                .post("/api/v1/uploads")
                .then().statusCode(415).body("field", equalTo("filename"));

        byte[] file = scene();
        JsonPath upload = start(file, "swapped.gltf", "test-" + UUID.randomUUID(), 201);
        long partSize = upload.getLong("partSize");
        List<String> urls = upload.getList("missingParts.url");
        byte[] other = file.clone();
        other[other.length / 2] ^= 1;
        for (int n = 1; n <= urls.size(); n++) {
            assertThat(put(urls.get(n - 1), part(other, partSize, n))).isEqualTo(200);
        }
        as(UPLOADER).post("/api/v1/uploads/" + upload.getString("id") + "/complete").then().statusCode(422)
                .body("type", equalTo("https://render.farm/problems/upload-digest-mismatch")).body("field", equalTo("sha256"));
        as(UPLOADER).get("/api/v1/scenes/" + Digests.sha256Hex(other)).then().statusCode(404);
    }

    @Test
    void theStoreLetsThePagePutPartsFromAnotherOrigin() throws Exception {
        JsonPath upload = start(scene(), "cors.gltf", "test-" + UUID.randomUUID(), 201);
        HttpResponse<Void> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(upload.getString("missingParts[0].url")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://127.0.0.1:8080")
                .header("Access-Control-Request-Method", "PUT").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");
    }

    private static List<Integer> range(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).boxed().toList();
    }
}
