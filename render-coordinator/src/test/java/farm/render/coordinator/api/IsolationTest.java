package farm.render.coordinator.api;

import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.identity.Ed25519;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static farm.render.coordinator.testing.TestAccounts.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every operation in the served OpenAPI document, tried anonymously and by a second account against
 * the first account's scene, job, frame, token, worker and balance. An operation added later without
 * an ownership check, or one this test has no ids for, fails here until it is handled.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationTest {
    /** Anyone may call these: they create or prove an identity, or say whether the caller has one. */
    static final Set<String> PUBLIC = Set.of("POST /api/v1/accounts", "POST /api/v1/session", "GET /api/v1/session");
    /** The same for every signed-in account: nothing in them belongs to one account. */
    static final Set<String> FARM_WIDE = Set.of("GET /api/v1/farm", "GET /api/v1/identity", "GET /api/v1/ledger/checkpoint");
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private final String a = TestAccounts.fresh("alice");
    private final String b = TestAccounts.fresh("bob");
    private String aSession;
    private String aScene;
    private String aJob;
    private String aToken;
    private long aTokenId;
    private String aWorker;
    private String aUpload;
    private final Map<String, String> ids = new LinkedHashMap<>();

    /** Once per class, but after Quarkus has told RestAssured its port (which @BeforeAll is too early for). */
    @BeforeEach
    void accountAOwnsOneOfEverything() {
        if (aJob != null) {
            return;
        }
        aSession = TestAccounts.session(a);
        aScene = as(a).contentType("application/octet-stream").body(TinyScenes.gltf("isolation-" + a))
                .queryParam("filename", "mine.gltf").post("/api/v1/scenes").then().statusCode(201).extract().path("digest");
        aJob = as(a).contentType("application/json")
                .body(Map.of("sceneDigest", aScene, "width", 8, "height", 8, "spp", 1, "tileSize", 8))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        JsonPath token = as(a).contentType("application/json").body(Map.of("name", "a's script")).post("/api/v1/tokens")
                .then().statusCode(201).extract().jsonPath();
        aToken = token.getString("token");
        aTokenId = token.getLong("id");
        aWorker = TestAccounts.fresh("a-gpu");
        as(a).contentType("application/json").body(Map.of("workerId", aWorker, "publicKey", Ed25519.encodePublic(Ed25519.generate().getPublic())))
                .post("/api/v1/workers").then().statusCode(201);
        aUpload = as(a).contentType("application/json").body(Map.of("filename", "big.gltf", "size", 100, "fingerprint", "a's file"))
                .post("/api/v1/uploads").then().statusCode(201).extract().path("id");
        // what each path parameter stands for, most specific path first
        ids.put("/api/v1/jobs/{id}", aJob);
        ids.put("/api/v1/scenes/{digest}", aScene);
        ids.put("/api/v1/tokens/{id}", Long.toString(aTokenId));
        ids.put("/api/v1/workers/{id}", aWorker);
        ids.put("/api/v1/accounts/{account}", "artist:" + a);
        ids.put("/api/v1/uploads/{id}", aUpload);
        ids.put("{frame}", "0");
    }

    /** "METHOD /path" → the operation's first request media type (or null), for every operation served. */
    private static Map<String, String> operations() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        Map<String, String> out = new TreeMap<>();
        paths.forEach((path, ops) -> ops.forEach((method, op) -> {
            if (!Set.of("get", "put", "post", "delete", "patch").contains(method)) {
                return;
            }
            String mediaType = null;
            if (op.get("requestBody") instanceof Map<?, ?> body && body.get("content") instanceof Map<?, ?> content && !content.isEmpty()) {
                mediaType = String.valueOf(content.keySet().iterator().next());
            }
            out.put(method.toUpperCase(Locale.ROOT) + " " + path, mediaType);
        }));
        return out;
    }

    /** The path with A's ids in its parameters; fails for a parameter this test has no id for. */
    private String concrete(String path) {
        Matcher m = PARAM.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String upTo = path.substring(0, m.end());
            String id = ids.getOrDefault(upTo, ids.get(m.group()));
            assertThat(id).as("no id of account A for %s in %s: give the isolation test one", m.group(), path).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(id));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Response send(RequestSpecification request, String operation, String path, String mediaType) {
        String method = operation.substring(0, operation.indexOf(' '));
        if (mediaType != null) {
            request = request.contentType(mediaType.contains("json") ? "application/json" : mediaType)
                    .body(mediaType.contains("json") ? "{}".getBytes() : new byte[]{1, 2, 3});
        }
        return request.request(method, path);
    }

    @Test
    void everyOperationButSignUpAndLoginRefusesAnonymousCallers() {
        List<String> open = new ArrayList<>();
        operations().forEach((operation, mediaType) -> {
            if (PUBLIC.contains(operation)) {
                return;
            }
            String path = concrete(operation.substring(operation.indexOf(' ') + 1));
            Response r = send(given(), operation, path, mediaType);
            if (r.statusCode() != 401 || !String.valueOf(r.getHeader("WWW-Authenticate")).startsWith("Bearer")
                    || !String.valueOf(r.getContentType()).startsWith("application/problem+json")) {
                open.add(operation + " -> " + r.statusCode() + " " + r.asString());
            }
            // a revoked or invented token is no better than none
            Response forged = send(given().auth().oauth2("rf_not-a-real-token"), operation, path, mediaType);
            if (forged.statusCode() != 401) {
                open.add(operation + " with a made-up token -> " + forged.statusCode());
            }
        });
        assertThat(open).isEmpty();
    }

    @Test
    void anotherAccountFindsNoneOfTheFirstAccountsThings() {
        List<String> leaks = new ArrayList<>();
        operations().forEach((operation, mediaType) -> {
            String template = operation.substring(operation.indexOf(' ') + 1);
            if (operation.equals("GET /api/v1/session")) {
                String who = as(b).get("/api/v1/session").then().statusCode(200).extract().path("account.name");
                if (!b.equals(who)) {
                    leaks.add(operation + " -> " + who);
                }
                return;
            }
            if (PUBLIC.contains(operation) || FARM_WIDE.contains(operation)) {
                return;
            }
            if (template.contains("{")) {
                Response r = send(as(b), operation, concrete(template), mediaType);
                String type = r.statusCode() == 404 || r.statusCode() == 403 ? String.valueOf(r.jsonPath().getString("type")) : "";
                // the refusal must come from the ownership check, not from a later step such as "frame not ready"
                if (!(type.endsWith("/unknown-job") || type.endsWith("/unknown-scene") || type.endsWith("/unknown-token")
                        || type.endsWith("/unknown-worker") || type.endsWith("/unknown-account") || type.endsWith("/unknown-upload")
                        || type.endsWith("/operator-only"))) {
                    leaks.add(operation + " -> " + r.statusCode() + " " + r.asString());
                }
                return;
            }
            String leak = collectionCheck(operation);
            if (leak != null) {
                leaks.add(leak);
            }
        });
        assertThat(leaks).isEmpty();
        // and after all that, A's things are as they were
        as(a).get("/api/v1/jobs/" + aJob).then().statusCode(200).body("state", equalTo("RUNNING"));
        given().auth().oauth2(aToken).get("/api/v1/me").then().statusCode(200).body("name", equalTo(a));
        given().cookie("farm_session", aSession).get("/api/v1/me").then().statusCode(200).body("name", equalTo(a));
        as(a).get("/api/v1/scenes/" + aScene).then().statusCode(200);
    }

    /** Operations without a path id: what B gets must hold nothing of A's; null when it holds nothing. */
    private String collectionCheck(String operation) {
        switch (operation) {
            case "GET /api/v1/jobs" -> {
                List<String> listed = as(b).get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("jobs.id");
                return listed.contains(aJob) ? operation + " lists A's job" : null;
            }
            case "POST /api/v1/jobs", "POST /api/v1/quotes" -> {
                Response r = as(b).contentType("application/json")
                        .body(Map.of("sceneDigest", aScene, "width", 8, "height", 8, "spp", 1, "tileSize", 8))
                        .post(operation.substring(5));
                return r.statusCode() == 404 && r.jsonPath().getString("type").endsWith("/unknown-scene") ? null
                        : operation + " with A's scene -> " + r.statusCode() + " " + r.asString();
            }
            case "POST /api/v1/scenes" -> {
                // B's own upload is B's; A's scene stays unknown to B
                as(b).contentType("application/octet-stream").body(TinyScenes.gltf("isolation-" + b)).queryParam("filename", "b.gltf")
                        .post("/api/v1/scenes").then().statusCode(201);
                return as(b).get("/api/v1/scenes/" + aScene).statusCode() == 404 ? null : operation + ": B sees A's scene";
            }
            case "POST /api/v1/uploads" -> {
                // the same fingerprint from B starts B's own upload instead of resuming A's
                String id = as(b).contentType("application/json").body(Map.of("filename", "big.gltf", "size", 100, "fingerprint", "a's file"))
                        .post("/api/v1/uploads").then().statusCode(201).extract().path("id");
                return id.equals(aUpload) ? operation + " resumed A's upload" : null;
            }
            case "GET /api/v1/tokens" -> {
                List<Integer> listed = as(b).get("/api/v1/tokens").then().statusCode(200).extract().jsonPath().getList("id");
                return listed.stream().anyMatch(id -> id == aTokenId) ? operation + " lists A's token" : null;
            }
            case "POST /api/v1/tokens" -> {
                String token = as(b).contentType("application/json").body(Map.of("name", "b's")).post("/api/v1/tokens")
                        .then().statusCode(201).extract().path("token");
                String who = given().auth().oauth2(token).get("/api/v1/me").then().extract().path("name");
                return b.equals(who) ? null : operation + ": B's new token acts for " + who;
            }
            case "GET /api/v1/me" -> {
                String who = as(b).get("/api/v1/me").then().statusCode(200).extract().path("name");
                return b.equals(who) ? null : operation + " -> " + who;
            }
            case "DELETE /api/v1/session" -> {
                String bSession = TestAccounts.session(b);
                given().cookie("farm_session", bSession).delete("/api/v1/session").then().statusCode(204);
                // B's logout ends B's session only
                return given().cookie("farm_session", bSession).get("/api/v1/me").statusCode() == 401
                        && given().cookie("farm_session", aSession).get("/api/v1/me").statusCode() == 200 ? null
                        : operation + ": B's logout did not end B's session alone";
            }
            case "POST /api/v1/workers" -> {
                Response r = as(b).contentType("application/json")
                        .body(Map.of("workerId", aWorker, "publicKey", Ed25519.encodePublic(Ed25519.generate().getPublic())))
                        .post("/api/v1/workers");
                return r.statusCode() == 409 || r.statusCode() == 403 ? null : operation + " took A's worker id -> " + r.statusCode();
            }
            case "POST /api/v1/webhook-secret" -> {
                // B's new secret is B's: A still has none
                String secret = as(b).post("/api/v1/webhook-secret").then().statusCode(201).extract().path("secret");
                boolean aHasOne = as(a).get("/api/v1/webhook-secret").then().statusCode(200).extract().path("exists");
                return secret.startsWith("whsec_") && !aHasOne ? null : operation + ": B's secret became A's";
            }
            case "GET /api/v1/webhook-secret" -> {
                Map<String, Object> state = as(b).get("/api/v1/webhook-secret").then().statusCode(200).extract().jsonPath().getMap("");
                return state.containsKey("secret") ? operation + " shows a secret" : null;
            }
            case "GET /api/v1/device-classes" -> {
                // the table is farm-wide; which workers and owners reported a class is for operators only
                List<Object> reporters = as(b).get("/api/v1/device-classes").then().statusCode(200).extract().jsonPath()
                        .getList("classes.reporters");
                return reporters.stream().allMatch(java.util.Objects::isNull) ? null : operation + " shows reporters: " + reporters;
            }
            case "PUT /api/v1/device-classes/reference" -> {
                int status = as(b).contentType("application/json").body("{}").put("/api/v1/device-classes/reference").statusCode();
                return status == 403 ? null : operation + " -> " + status;
            }
            case "GET /api/v1/ledger/export" -> {
                int status = as(b).get("/api/v1/ledger/export").statusCode();
                return status == 403 ? null : operation + " -> " + status;
            }
            default -> {
                return operation + ": no isolation check; add one to this test";
            }
        }
    }

    @Test
    void thePublicOperationsAreExactlySignUpLoginAndTheSessionQuestion() {
        given().get("/api/v1/session").then().statusCode(200).body("signedIn", equalTo(false));
        assertThat(operations().keySet()).containsAll(PUBLIC);
    }

    @Test
    void balancesOfAnotherAccountsWorkersAndEscrowsAreHidden() {
        for (String account : List.of("artist:" + a, "worker:" + aWorker, "stake:" + aWorker, "escrow:" + aJob, "fees", "mint")) {
            as(b).get("/api/v1/accounts/" + account).then().statusCode(404).contentType("application/problem+json")
                    .body("type", startsWith("https://render.farm/problems/unknown-account"));
        }
        as(a).get("/api/v1/accounts/worker:" + aWorker).then().statusCode(200);
        as(a).get("/api/v1/accounts/escrow:" + aJob).then().statusCode(200);
        TestAccounts.asOperator().get("/api/v1/accounts/fees").then().statusCode(200);
        TestAccounts.asOperator().get("/api/v1/workers/" + aWorker).then().statusCode(200);
    }
}
