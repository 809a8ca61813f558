package farm.render.coordinator.workers;

import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.coordinator.verdicts.VerdictHandler;
import farm.render.coordinator.verdicts.VerdictOutcome;
import farm.render.core.identity.Ed25519;
import farm.render.core.ledger.ChainCheck;
import farm.render.core.ledger.LedgerChain;
import farm.render.core.ledger.LedgerEntry;
import farm.render.core.ledger.LedgerExport;
import farm.render.core.ledger.LedgerPosting;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static farm.render.coordinator.testing.TestAccounts.as;
import static farm.render.coordinator.testing.TestAccounts.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Worker registration, stakes and slashing, reputation, cancel and the signed ledger export, on the real services. */
@QuarkusTest
@WithTestResource(FarmServices.class)
class WorkerRegistrationTest {
    @Inject
    VerdictHandler handler;

    /** The GPU owner who registers this test's workers. */
    private static final String OWNER = TestAccounts.fresh("gpu-owner");

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String register(String workerId, String key, int status) {
        return as(OWNER).contentType("application/json").body(Map.of("workerId", workerId, "publicKey", key))
                .post("/api/v1/workers").then().statusCode(status).extract().asString();
    }

    @Test
    void aWorkerRegistersItsKeyOnceAndGetsAFundedStake() {
        String worker = id("gpu");
        String key = Ed25519.encodePublic(Ed25519.generate().getPublic());
        register(worker, key, 201);
        register(worker, key, 200); // the same key again: idempotent
        as(OWNER).contentType("application/json").body(Map.of("workerId", worker, "publicKey", Ed25519.encodePublic(Ed25519.generate().getPublic())))
                .post("/api/v1/workers").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/worker-key-conflict"));
        as(OWNER).get("/api/v1/workers/" + worker).then().statusCode(200)
                .body("publicKey", equalTo(key))
                .body("stake", equalTo(10_000_000))
                .body("reputation.isNew", equalTo(true))
                .body("sampledPixels", equalTo(128))
                .body("allowedTierNames", contains("standard", "economy"));
        as(OWNER).get("/api/v1/workers/nobody-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aWorkerReportsItsDeviceAndScoreWhichItsOwnerAndOperatorsSee() {
        String worker = id("gpu");
        register(worker, Ed25519.encodePublic(Ed25519.generate().getPublic()), 201);
        as(OWNER).get("/api/v1/workers/" + worker).then().statusCode(200).body("device", nullValue());
        as(OWNER).contentType("application/json")
                .body(Map.of("name", "NVIDIA H100 80GB HBM3", "pathsPerSecond", 2.37e8, "rendererVersion", "pt-5"))
                .put("/api/v1/workers/" + worker + "/device").then().statusCode(200)
                .body("name", equalTo("NVIDIA H100 80GB HBM3")).body("reportedAt", notNullValue());
        as(OWNER).get("/api/v1/workers/" + worker).then().statusCode(200)
                .body("device.name", equalTo("NVIDIA H100 80GB HBM3"))
                .body("device.pathsPerSecond", equalTo(2.37e8f))
                .body("device.rendererVersion", equalTo("pt-5"));
        // a later report replaces the earlier one
        as(OWNER).contentType("application/json").body(Map.of("name", "llvmpipe (LLVM 15.0.6, 256 bits)", "pathsPerSecond", 0))
                .put("/api/v1/workers/" + worker + "/device").then().statusCode(200);
        as(OWNER).get("/api/v1/workers/" + worker).then().body("device.name", equalTo("llvmpipe (LLVM 15.0.6, 256 bits)"))
                .body("device.pathsPerSecond", equalTo(0.0f));
        // another account cannot report for this worker, nor learn that it exists
        as(TestAccounts.fresh("stranger")).contentType("application/json").body(Map.of("name", "fake", "pathsPerSecond", 1e12))
                .put("/api/v1/workers/" + worker + "/device").then().statusCode(404).contentType("application/problem+json");
        // absurd reports are refused with the field at fault
        as(OWNER).contentType("application/json").body(Map.of("name", "gpu", "pathsPerSecond", -5))
                .put("/api/v1/workers/" + worker + "/device").then().statusCode(400).body("field", equalTo("pathsPerSecond"));
        as(OWNER).contentType("application/json").body(Map.of("name", "x".repeat(201), "pathsPerSecond", 5))
                .put("/api/v1/workers/" + worker + "/device").then().statusCode(400).body("field", equalTo("name"));
        asOperator().get("/api/v1/workers/" + worker).then().statusCode(200).body("device.name", equalTo("llvmpipe (LLVM 15.0.6, 256 bits)"));
    }

    @Test
    void badRegistrationsGetProblems() {
        as(OWNER).contentType("application/json").body(Map.of("workerId", "ok-id", "publicKey", "not a key"))
                .post("/api/v1/workers").then().statusCode(400).contentType("application/problem+json").body("field", equalTo("publicKey"));
        as(OWNER).contentType("application/json").body(Map.of("workerId", "bad id!", "publicKey", "x"))
                .post("/api/v1/workers").then().statusCode(400).contentType("application/problem+json").body("field", equalTo("workerId"));
        as(OWNER).contentType("application/json").body("{").post("/api/v1/workers").then().statusCode(400).contentType("application/problem+json");
    }

    private String submit(String account) {
        String digest = as(account).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "t.gltf")
                .post("/api/v1/scenes").then().extract().path("digest");
        return as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 2, "tileSize", 8, "tier", "economy"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
    }

    private static TileVerdict verdict(String job, int tile, int attempt, String worker, boolean passed, boolean attributable) {
        return new TileVerdict(TileTask.taskId(job, 0, tile, attempt), job, 0, tile, attempt, worker, passed,
                passed ? "" : "forged", 100, passed ? 0 : 7, List.of(), attributable, "0".repeat(64));
    }

    @Test
    void anAttributableFailureSlashesOnceAndMakesTheWorkerSuspect() {
        String worker = id("cheat");
        register(worker, Ed25519.encodePublic(Ed25519.generate().getPublic()), 201);
        String job = submit("artist:" + id("a"));
        // an unattributable failure (bad signature) requeues without touching the stake or the record
        assertThat(handler.handle(verdict(job, 0, 1, worker, false, false))).isEqualTo(new VerdictOutcome.Retried(2));
        as(OWNER).get("/api/v1/workers/" + worker).then().body("stake", equalTo(10_000_000)).body("reputation.suspect", equalTo(false));
        assertThat(handler.handle(verdict(job, 0, 2, worker, false, true))).isEqualTo(new VerdictOutcome.Retried(3));
        assertThat(handler.handle(verdict(job, 0, 2, worker, false, true))).isInstanceOf(VerdictOutcome.Ignored.class);
        as(OWNER).get("/api/v1/workers/" + worker).then()
                .body("stake", equalTo(9_000_000))
                .body("reputation.suspect", equalTo(true))
                .body("sampledPixels", equalTo(192))
                .body("allowedTierNames", contains("economy"));
    }

    @Test
    void cancellingAJobRefundsTheUnusedEscrowOnce() {
        String account = "artist:" + id("c");
        String worker = id("honest");
        register(worker, Ed25519.encodePublic(Ed25519.generate().getPublic()), 201);
        String job = submit(account);
        assertThat(handler.handle(verdict(job, 0, 1, worker, true, true))).isInstanceOf(VerdictOutcome.Verified.class);
        JsonPath cancelled = as(account).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED")).extract().jsonPath();
        long paid = cancelled.getLong("ledger.paid") + cancelled.getLong("ledger.fees");
        assertThat(paid).isPositive();
        assertThat(cancelled.getLong("ledger.held")).isZero();
        assertThat(cancelled.getLong("ledger.refunded")).isEqualTo(cancelled.getLong("quote") - paid);
        as(account).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/job-finished"));
        as(account).post("/api/v1/jobs/nope/cancel").then().statusCode(404).contentType("application/problem+json");
        // verdicts after the cancel change nothing
        assertThat(handler.handle(verdict(job, 0, 0, worker, true, true))).isInstanceOf(VerdictOutcome.Ignored.class);
        as(account).get("/api/v1/accounts/" + account).then().body("balance", equalTo((int) 0 + 1_000_000_000_000L - paid));
    }

    @Test
    void theExportedLedgerVerifiesAndATamperedAmountIsFoundAtItsEntry() throws Exception {
        submit("artist:" + id("e"));
        String body = asOperator().get("/api/v1/ledger/export").then().statusCode(200).extract().asString();
        LedgerExport.Contents export = LedgerExport.read(new BufferedReader(new StringReader(body)));
        assertThat(export.entries()).isNotEmpty();
        java.security.PublicKey key = Ed25519.decodePublic(export.header().coordinatorPublicKey());
        assertThat(as(OWNER).get("/api/v1/identity").then().extract().<String>path("ledgerPublicKey")).isEqualTo(export.header().coordinatorPublicKey());
        assertThat(LedgerChain.verify(key, export.entries())).isInstanceOf(ChainCheck.Intact.class);

        List<LedgerEntry> tampered = new ArrayList<>(export.entries());
        int i = tampered.size() / 2;
        LedgerEntry e = tampered.get(i);
        List<LedgerPosting> postings = new ArrayList<>();
        for (LedgerPosting p : e.postings()) {
            postings.add(new LedgerPosting(p.account(), p.amount() > 0 ? p.amount() + 1 : p.amount() - 1));
        }
        tampered.set(i, new LedgerEntry(e.id(), e.kind(), e.jobId(), e.memo(), postings, e.prevHash(), e.hash(), e.signature()));
        ChainCheck check = LedgerChain.verify(key, tampered);
        assertThat(check).isInstanceOf(ChainCheck.Broken.class);
        assertThat(((ChainCheck.Broken) check).entryId()).isEqualTo(e.id());
        assertThat(((ChainCheck.Broken) check).index()).isEqualTo(i);
    }
}
