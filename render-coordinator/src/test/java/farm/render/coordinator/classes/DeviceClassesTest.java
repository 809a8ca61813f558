package farm.render.coordinator.classes;

import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.OwnedWorker;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.TestWorkers;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.classes.NumericalFacts;
import farm.render.core.digest.Digests;
import farm.render.core.identity.Ed25519;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.ClaimRequest;
import farm.render.core.wire.ProbeReport;
import farm.render.core.wire.WireJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static farm.render.coordinator.testing.TestAccounts.as;
import static farm.render.coordinator.testing.TestAccounts.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The class table as workers, owners and the verifier meet it: a class is proven once probe runs from two owners match
 * the verifier's bit for bit, a class whose probes differ stays unproven and equivalent only to a class with the same
 * bits, probe runs are handed out at the claim in place of a ticket that goes back to be published, and hostile reports
 * are refused with the field at fault. Each test uses its own renderer version, so its reference is its own.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class DeviceClassesTest {
    private static final Map<String, KeyPair> KEYS = new HashMap<>();
    private static final Map<String, String> OWNERS = new HashMap<>();

    private static NumericalFacts facts(String device, String version) {
        return new NumericalFacts(0x10005, 0, 13, 0x5800006, device, "llvmpipe", "Mesa 22.3.6 (LLVM 15.0.6)",
                "float32 denormals: preserve yes, flush to zero yes", version);
    }

    private static List<String> digests(int count, String seed) {
        return IntStream.range(0, count).mapToObj(i -> Digests.sha256Hex((seed + i).getBytes(StandardCharsets.UTF_8))).toList();
    }

    private static int probeCount() {
        return asOperator().get("/api/v1/device-classes").then().statusCode(200).extract().path("probeCount");
    }

    /** A fresh worker id with this prefix, registered under the owner. */
    private static String worker(String prefix, String owner) {
        OwnedWorker w = OwnedWorker.register(prefix, owner);
        KEYS.put(w.id(), w.keys());
        OWNERS.put(w.id(), owner);
        return w.id();
    }

    private static ValidatableResponse reportDevice(String workerId, Object numericalClass) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "llvmpipe", "pathsPerSecond", 1000.0, "rendererVersion", "pt-7"));
        body.put("numericalClass", numericalClass);
        return as(OWNERS.get(workerId)).contentType("application/json").body(body).put("/api/v1/workers/" + workerId + "/device").then();
    }

    private static ClaimAnswer claim(String workerId, ClaimRequest.Ticket ticket) {
        byte[] body = as(OWNERS.get(workerId)).contentType("application/json").body(WireJson.encode(new ClaimRequest(List.of(ticket), TestWorkers.LARGE_DEVICE)))
                .post("/api/v1/workers/" + workerId + "/claims").then().statusCode(200).extract().asByteArray();
        return WireJson.decode(body, ClaimAnswer.Batch.class).answers().get(0);
    }

    private static ValidatableResponse reportProbes(String workerId, String classId, List<String> digests) {
        ProbeReport report = new ProbeReport(workerId, classId, digests, null).signed(KEYS.get(workerId).getPrivate());
        return as(OWNERS.get(workerId)).contentType("application/json").body(WireJson.encode(report))
                .post("/api/v1/workers/" + workerId + "/probes").then();
    }

    /** A running one-tile job and the ticket of its tile. */
    private static ClaimRequest.Ticket ticket() {
        String artist = TestAccounts.fresh("artist");
        String digest = as(artist).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "t.gltf")
                .post("/api/v1/scenes").then().extract().path("digest");
        String job = as(artist).contentType("application/json").body(Map.of("sceneDigest", digest, "frameStart", 1, "frameEnd", 1,
                "width", 8, "height", 8, "spp", 1, "tileSize", 8, "tier", "economy"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(as(artist).get("/api/v1/jobs/" + job).then().extract().path("state")));
        return new ClaimRequest.Ticket(job, 1, 0, 1);
    }

    /** The worker claims the ticket and gets its probe run in place of it; answers the class it is for. */
    private static String probesAtClaim(String workerId, ClaimRequest.Ticket ticket, int count) {
        ClaimAnswer answer = claim(workerId, ticket);
        assertThat(answer.refusal()).as(answer.detail()).isEqualTo(ClaimAnswer.PROBE);
        assertThat(answer.task()).isNull();
        assertThat(answer.probes().count()).isEqualTo(count);
        return answer.probes().classId();
    }

    private static Map<String, Object> row(String classId) {
        List<Map<String, Object>> rows = asOperator().get("/api/v1/device-classes").then().statusCode(200).extract().jsonPath().getList("classes");
        return rows.stream().filter(r -> classId.equals(r.get("id"))).findFirst().orElseThrow(() -> new AssertionError("no class " + classId));
    }

    @SuppressWarnings("unchecked")
    private static List<String> equivalents(Object list) {
        return (List<String>) list;
    }

    @Test
    void anUnprovenClassIsProvenOnceProbeRunsFromTwoOwnersMatchTheVerifiersBitForBit() {
        String version = TestAccounts.fresh("pt");
        int count = probeCount();
        List<String> reference = digests(count, "verifier");
        NumericalFacts verifier = facts("llvmpipe (LLVM 15.0.6, 256 bits)", version);
        NumericalFacts sse = facts("llvmpipe (LLVM 15.0.6, 128 bits)", version);
        asOperator().contentType("application/json").body(Map.of("numericalClass", verifier, "digests", reference))
                .put("/api/v1/device-classes/reference").then().statusCode(200).body("references." + version, equalTo(verifier.classId()));
        String ownerA = TestAccounts.fresh("owner-a");
        String ownerB = TestAccounts.fresh("owner-b");
        String a = worker("sse-a", ownerA);
        String b = worker("sse-b", ownerB);
        String plain = worker("plain", ownerA);
        reportDevice(a, sse).statusCode(200).body("numericalClass", equalTo(sse.classId())).body("numericalClassStatus", equalTo("unproven"));
        reportDevice(b, sse).statusCode(200).body("numericalClassStatus", equalTo("unproven"));
        reportDevice(plain, verifier).statusCode(200).body("numericalClassStatus", equalTo("reference"));
        as(ownerA).get("/api/v1/workers/" + a).then().statusCode(200).body("device.numericalClass", equalTo(sse.classId()));

        ClaimRequest.Ticket ticket = ticket();
        assertThat(probesAtClaim(a, ticket, count)).isEqualTo(sse.classId());
        // the ticket was let go, not burned: a worker of the verifier's class takes it, and the run is not handed out twice
        ClaimAnswer granted = claim(plain, ticket);
        assertThat(granted.refusal()).as(granted.detail()).isNull();
        assertThat(claim(a, ticket).refusal()).isEqualTo(ClaimAnswer.HELD);

        reportProbes(a, sse.classId(), reference).statusCode(200).body("mismatches", equalTo(0)).body("status", equalTo("unproven"));
        reportProbes(a, sse.classId(), reference).statusCode(409).body("type", equalTo("https://render.farm/problems/probe-run-not-open"));
        assertThat(probesAtClaim(b, ticket(), count)).isEqualTo(sse.classId());
        reportProbes(b, sse.classId(), reference).statusCode(200).body("mismatches", equalTo(0)).body("status", equalTo("proven"));

        Map<String, Object> proven = row(sse.classId());
        assertThat(proven).containsEntry("status", "proven").containsEntry("matchingOwners", 2).containsEntry("differingRuns", 0)
                .containsEntry("owners", 2);
        assertThat(equivalents(proven.get("equivalentTo"))).containsExactly(verifier.classId());
        assertThat(row(verifier.classId())).containsEntry("status", "reference");
        assertThat(as(ownerA).get("/api/v1/device-classes").then().statusCode(200).extract().jsonPath()
                .getList("classes.findAll { it.id == '" + sse.classId() + "' }.reporters")).containsExactly((Object) null);
        // a proven class renders real work: no more probe runs for a third worker of it
        String c = worker("sse-c", ownerB);
        reportDevice(c, sse).statusCode(200).body("numericalClassStatus", equalTo("proven"));
        ClaimAnswer real = claim(c, ticket());
        assertThat(real.refusal()).as(real.detail()).isNull();
        assertThat(real.task()).isNotNull();
    }

    @Test
    void aClassWhoseProbesDifferStaysUnprovenAndIsEquivalentOnlyToAClassWithTheSameBits() {
        String version = TestAccounts.fresh("pt");
        int count = probeCount();
        List<String> reference = digests(count, "verifier");
        List<String> perturbed = new ArrayList<>(reference);
        perturbed.set(count - 1, Digests.sha256Hex("one bit off".getBytes(StandardCharsets.UTF_8)));
        NumericalFacts verifier = facts("llvmpipe (LLVM 15.0.6, 256 bits)", version);
        NumericalFacts p = facts("perturbed (LLVM 15.0.6, 256 bits)", version);
        NumericalFacts q = facts("perturbed (LLVM 15.0.6, 128 bits)", version);
        asOperator().contentType("application/json").body(Map.of("numericalClass", verifier, "digests", reference))
                .put("/api/v1/device-classes/reference").then().statusCode(200);
        String ownerA = TestAccounts.fresh("owner-a");
        String ownerB = TestAccounts.fresh("owner-b");
        String pa = worker("p-a", ownerA);
        String pb = worker("p-b", ownerB);
        String qb = worker("q-b", ownerB);
        reportDevice(pa, p).statusCode(200);
        reportDevice(pb, p).statusCode(200);
        reportDevice(qb, q).statusCode(200);
        ClaimRequest.Ticket ticket = ticket();
        for (String w : List.of(pa, pb)) {
            probesAtClaim(w, ticket, count);
            reportProbes(w, p.classId(), perturbed).statusCode(200).body("mismatches", equalTo(1)).body("status", equalTo("unproven"));
        }
        probesAtClaim(qb, ticket, count);
        reportProbes(qb, q.classId(), perturbed).statusCode(200).body("status", equalTo("unproven"));

        Map<String, Object> pRow = row(p.classId());
        assertThat(pRow).containsEntry("status", "unproven").containsEntry("matchingOwners", 0).containsEntry("differingRuns", 2);
        // same bits from another owner: p and q are equivalent to each other, and neither to the verifier's class
        assertThat(equivalents(pRow.get("equivalentTo"))).containsExactly(q.classId());
        assertThat(equivalents(row(q.classId()).get("equivalentTo"))).containsExactly(p.classId());
        assertThat(equivalents(row(verifier.classId()).get("equivalentTo"))).doesNotContain(p.classId(), q.classId());
    }

    @Test
    void theOperatorPageIsServedAndReadsTheTable() {
        String page = given().get("/device-classes.html").then().statusCode(200).extract().asString();
        assertThat(page).contains("Numerical classes").contains("device-classes.js");
        assertThat(given().get("/device-classes.js").then().statusCode(200).extract().asString()).contains("/api/v1/device-classes");
        given().get("/api/v1/device-classes").then().statusCode(401);
    }

    @Test
    void hostileReportsAreRefusedWithTheFieldAtFault() {
        String owner = TestAccounts.fresh("owner");
        String w = worker("hostile", owner);
        String version = TestAccounts.fresh("pt");
        NumericalFacts ok = facts("llvmpipe (LLVM 15.0.6, 256 bits)", version);
        reportDevice(w, facts("x".repeat(100_000), version)).statusCode(400)
                .body("type", equalTo("https://render.farm/problems/invalid-numerical-class")).body("field", equalTo("numericalClass.deviceName"));
        reportDevice(w, new NumericalFacts(1L << 40, 0, 0, 0, "d", "", "", "", version)).statusCode(400)
                .body("field", equalTo("numericalClass.vendorId"));
        reportDevice(w, new NumericalFacts(1, 0, 0, 0, "d", "", "bell\u0007", "", version)).statusCode(400)
                .body("field", equalTo("numericalClass.driverInfo"));
        reportDevice(w, new NumericalFacts(1, 0, 0, 0, "d", "", "", "", "../../etc")).statusCode(400)
                .body("field", equalTo("numericalClass.rendererVersion"));
        Map<String, Object> wrongType = new HashMap<>(Map.of("vendorId", "not a number", "deviceName", "d"));
        reportDevice(w, wrongType).statusCode(400).body("type", equalTo("https://render.farm/problems/malformed-request"));
        reportDevice(w, List.of(1, 2, 3)).statusCode(400).body("type", equalTo("https://render.farm/problems/malformed-request"));
        reportDevice(w, Map.of("deviceName", "y".repeat(300_000))).statusCode(413);
        JsonPath table = asOperator().get("/api/v1/device-classes").then().statusCode(200).extract().jsonPath();
        assertThat(table.getList("classes.facts.rendererVersion")).doesNotContain(version, "../../etc");

        reportDevice(w, ok).statusCode(200);
        int count = probeCount();
        // no run was handed out (there is no reference for this version): a report is refused, as are malformed ones
        reportProbes(w, ok.classId(), digests(count, "x")).statusCode(409).body("field", equalTo("classId"));
        reportProbes(w, ok.classId(), List.of("not hex")).statusCode(400).body("field", equalTo("digests"));
        reportProbes(w, "nc-zz", digests(count, "x")).statusCode(400).body("field", equalTo("classId"));
        ProbeReport forged = new ProbeReport(w, ok.classId(), digests(count, "x"), null).signed(Ed25519.generate().getPrivate());
        as(owner).contentType("application/json").body(WireJson.encode(forged)).post("/api/v1/workers/" + w + "/probes").then()
                .statusCode(400).body("field", equalTo("signature"));
        // only operators hand in the reference, and only a whole, well-formed one
        as(owner).contentType("application/json").body(Map.of("numericalClass", ok, "digests", digests(count, "x")))
                .put("/api/v1/device-classes/reference").then().statusCode(403);
        asOperator().contentType("application/json").body(Map.of("numericalClass", ok, "digests", digests(count - 1, "x")))
                .put("/api/v1/device-classes/reference").then().statusCode(400).body("field", equalTo("digests"));
    }
}
