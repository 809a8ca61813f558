package farm.render.coordinator.peers;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.api.PeerCheckResource;
import farm.render.coordinator.ledger.JobLedger;
import farm.render.coordinator.ledger.JobLedgers;
import farm.render.coordinator.ledger.LedgerIntegrity;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.OwnedWorker;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.TestWorkers;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.classes.NumericalFacts;
import farm.render.core.digest.Digests;
import farm.render.core.image.TileImage;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.ClaimRequest;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import farm.render.core.wire.ProbeReport;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.SampledPixel;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.WireJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static farm.render.coordinator.testing.TestAccounts.as;
import static farm.render.coordinator.testing.TestAccounts.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Peer checks as workers of an unproven numerical class meet them: their tasks name a peer as checker, a peer of the
 * class with another owner gets the check at its next claim in place of a ticket, equal pixels pass the tile (paid once)
 * and pay the peer its fee once, and a peer that reports pixels it did not render gets the known answers wrong, is
 * slashed and loses the check to another peer. The ledger's balances still derive from its entries.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class PeerChecksTest {
    private static final Map<String, KeyPair> KEYS = new HashMap<>();
    private static final Map<String, String> OWNERS = new HashMap<>();
    private static final int SIZE = 8;
    private static final int KNOWN = 8;

    @Inject
    PeerChecks checks;
    @Inject
    ObjectStorage storage;
    @Inject
    Transactions tx;
    @Inject
    JobLedgers ledgers;
    @Inject
    LedgerIntegrity integrity;

    private static String worker(String prefix, String owner) {
        OwnedWorker w = OwnedWorker.register(prefix, owner);
        KEYS.put(w.id(), w.keys());
        OWNERS.put(w.id(), owner);
        return w.id();
    }

    private static ClaimAnswer claim(String workerId, ClaimRequest.Ticket ticket) {
        byte[] body = as(OWNERS.get(workerId)).contentType("application/json").body(WireJson.encode(new ClaimRequest(List.of(ticket), TestWorkers.LARGE_DEVICE)))
                .post("/api/v1/workers/" + workerId + "/claims").then().statusCode(200).extract().asByteArray();
        return WireJson.decode(body, ClaimAnswer.Batch.class).answers().get(0);
    }

    /** A running job of one frame, {@code tiles} tiles of 8×8 side by side; answers its id. */
    private static String job(String artist, int tiles) {
        String digest = as(artist).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "t.gltf")
                .post("/api/v1/scenes").then().extract().path("digest");
        String job = as(artist).contentType("application/json").body(Map.of("sceneDigest", digest, "frameStart", 1, "frameEnd", 1,
                "width", SIZE * tiles, "height", SIZE, "spp", 1, "tileSize", SIZE, "tier", "economy"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(as(artist).get("/api/v1/jobs/" + job).then().extract().path("state")));
        return job;
    }

    /** A class of the test's own renderer version, unproven: its probe runs differ from the verifier's reference. */
    private static NumericalFacts unprovenClass(List<String> workers) {
        String version = TestAccounts.fresh("pt");
        int count = asOperator().get("/api/v1/device-classes").then().statusCode(200).extract().path("probeCount");
        List<String> reference = IntStream.range(0, count).mapToObj(i -> Digests.sha256Hex(("v" + i).getBytes(StandardCharsets.UTF_8))).toList();
        List<String> perturbed = IntStream.range(0, count).mapToObj(i -> Digests.sha256Hex(("p" + i).getBytes(StandardCharsets.UTF_8))).toList();
        NumericalFacts verifier = new NumericalFacts(0x10005, 0, 13, 0x5800006, "llvmpipe (256 bits)", "llvmpipe", "Mesa", "fc", version);
        NumericalFacts perturbedClass = new NumericalFacts(0x10005, 0, 13, 0x5800006, "perturbed (256 bits)", "llvmpipe", "Mesa", "fc", version);
        asOperator().contentType("application/json").body(Map.of("numericalClass", verifier, "digests", reference))
                .put("/api/v1/device-classes/reference").then().statusCode(200);
        ClaimRequest.Ticket spare = new ClaimRequest.Ticket(job(TestAccounts.fresh("artist"), 1), 1, 0, 1);
        for (String w : workers) {
            Map<String, Object> body = Map.of("name", "llvmpipe", "pathsPerSecond", 1000.0, "rendererVersion", "pt-7",
                    "numericalClass", perturbedClass);
            as(OWNERS.get(w)).contentType("application/json").body(body).put("/api/v1/workers/" + w + "/device").then().statusCode(200);
            assertThat(claim(w, spare).refusal()).isEqualTo(ClaimAnswer.PROBE);
            ProbeReport report = new ProbeReport(w, perturbedClass.classId(), perturbed, null).signed(KEYS.get(w).getPrivate());
            as(OWNERS.get(w)).contentType("application/json").body(WireJson.encode(report)).post("/api/v1/workers/" + w + "/probes")
                    .then().statusCode(200).body("status", equalTo("unproven"));
        }
        return perturbedClass;
    }

    /** The tile a worker "renders": a fixed image per tile, so any peer can answer any pixel of the frame. */
    private static float value(int x, int y, int channel) {
        return (x * 31 + y * 7 + channel) / 1000f + 0.001f;
    }

    private static TileImage tile(int index) {
        float[] rgb = new float[SIZE * SIZE * 3];
        for (int p = 0; p < SIZE * SIZE; p++) {
            for (int ch = 0; ch < 3; ch++) {
                rgb[p * 3 + ch] = value(index * SIZE + p % SIZE, p / SIZE, ch);
            }
        }
        return new TileImage(SIZE, SIZE, rgb);
    }

    /** A tile whose every value is off by a relative 1e-5: inside the verifier's tolerance, not bit for bit. */
    private static TileImage nudged(TileImage tile) {
        float[] rgb = tile.rgb().clone();
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] *= 1.00001f;
        }
        return new TileImage(SIZE, SIZE, rgb);
    }

    /**
     * The worker claims the tile, uploads {@code image} and hands in its signed result; the trusted verifier's sample (played
     * here: 16 pixels against the true values, at its tolerance) passes it, which opens the check to peers. Answers its id.
     */
    private long renderAndOpen(String workerId, String job, int tileIndex, TileImage image) {
        ClaimAnswer answer = claim(workerId, new ClaimRequest.Ticket(job, 1, tileIndex, 1));
        assertThat(answer.refusal()).as(answer.detail()).isNull();
        TileTask task = answer.task();
        assertThat(task.checkedBy()).isEqualTo(TileTask.PEER);
        byte[] bytes = image.encode();
        storage.put(ObjectKeys.tile(job, 1, tileIndex, 1, workerId), bytes, "application/octet-stream");
        TileResult result = TileResult.signed(task, workerId, 5, Digests.sha256Hex(bytes), KEYS.get(workerId).getPrivate());
        long id = checks.open(result).orElseThrow();
        assertThat(checks.open(result)).as("a redelivered result opens no second check").isEmpty();
        assertThat(checks.forJob(job).checks()).as("waiting for the verifier's sample").containsKey("SAMPLING");
        List<SampledPixel> sample = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int p = (i * 5) % (SIZE * SIZE);
            int x = tileIndex * SIZE + p % SIZE;
            int y = p / SIZE;
            float[] truth = {value(x, y, 0), value(x, y, 1), value(x, y, 2)};
            sample.add(new SampledPixel(x, y, truth, Arrays.copyOfRange(image.rgb(), p * 3, p * 3 + 3), true));
        }
        checks.sampled(TileVerdict.pass(result, sample).awaitingPeer());
        return id;
    }

    /** The peer claims a ticket and gets the peer check in its place. */
    private static PeerCheckAssignment checkAtClaim(String peer, ClaimRequest.Ticket ticket) {
        ClaimAnswer answer = claim(peer, ticket);
        assertThat(answer.refusal()).as(answer.detail()).isEqualTo(ClaimAnswer.PEER_CHECK);
        assertThat(answer.task()).isNull();
        return answer.peerCheck();
    }

    private static float[] honest(PeerCheckAssignment check) {
        float[] rgb = new float[check.pixelCount() * 3];
        for (int i = 0; i < check.pixelCount(); i++) {
            for (int ch = 0; ch < 3; ch++) {
                rgb[i * 3 + ch] = value(check.xy()[2 * i], check.xy()[2 * i + 1], ch);
            }
        }
        return rgb;
    }

    private static ValidatableResponse report(String peer, PeerCheckAssignment check, float[] rgb) {
        PeerCheckReport report = new PeerCheckReport(check.checkId(), peer, rgb, null).signed(KEYS.get(peer).getPrivate());
        return as(OWNERS.get(peer)).contentType("application/json").body(WireJson.encode(report))
                .post("/api/v1/workers/" + peer + "/peer-checks").then();
    }

    private static PeerCheckResource.NextCheck next(String workerId) {
        byte[] body = as(OWNERS.get(workerId)).contentType("application/json").body("{}")
                .post("/api/v1/workers/" + workerId + "/peer-checks/next").then().statusCode(200).extract().asByteArray();
        return WireJson.decode(body, PeerCheckResource.NextCheck.class);
    }

    private long stake(String workerId) {
        return ((Number) as(OWNERS.get(workerId)).get("/api/v1/workers/" + workerId).then().statusCode(200).extract().path("stake")).longValue();
    }

    @Test
    void aPeerOfTheClassChecksTheTilePassesItAndEarnsItsFeeOnceWhileALyingPeerIsSlashed() {
        String a = worker("peer-a", TestAccounts.fresh("owner-a"));
        String b = worker("peer-b", TestAccounts.fresh("owner-b"));
        String liar = worker("liar", TestAccounts.fresh("owner-c"));
        unprovenClass(List.of(a, b, liar));
        String artist = TestAccounts.fresh("artist");
        String job = job(artist, 2);
        ClaimRequest.Ticket spare = new ClaimRequest.Ticket(job(TestAccounts.fresh("artist"), 1), 1, 0, 1);

        long first = renderAndOpen(a, job, 0, tile(0));
        // the check published a carrier of its tile attempt: its holder is refused (nothing rendered twice), a peer gets the check
        ClaimRequest.Ticket carrier = new ClaimRequest.Ticket(job, 1, 0, 1);
        assertThat(claim(a, carrier).refusal()).isEqualTo(ClaimAnswer.HELD);
        PeerCheckAssignment check = checkAtClaim(b, carrier);
        assertThat(check.checkId()).isEqualTo(first);
        assertThat(check.pixelCount()).as("k from a new worker's reputation and 8 of the verifier's pixels; no agreed pixels yet")
                .isEqualTo(SIZE * SIZE + KNOWN);
        report(b, check, honest(check)).statusCode(200).body("outcome", equalTo("passed"));
        report(b, check, honest(check)).statusCode(409).body("type", equalTo("https://render.farm/problems/peer-check-not-open"));

        // the second tile's check carries known answers from the first, agreed by a and b, and from the verifier's sample: the
        // liar gets them wrong
        long second = renderAndOpen(b, job, 1, tile(1));
        long liarStake = stake(liar);
        PeerCheckAssignment lied = checkAtClaim(liar, spare);
        assertThat(lied.checkId()).isEqualTo(second);
        assertThat(lied.pixelCount()).as("and 8 agreed pixels of the first tile").isEqualTo(SIZE * SIZE + 2 * KNOWN);
        float[] made = new float[lied.pixelCount() * 3];
        Arrays.fill(made, 0.5f);
        report(liar, lied, made).statusCode(200).body("outcome", equalTo("lied")).body("slashed", org.hamcrest.Matchers.greaterThan(0));
        assertThat(stake(liar)).isLessThan(liarStake);
        assertThat(claim(liar, spare).refusal()).as("the liar does not get the check back").isNull();

        // an idle worker asks for the check it may do, without a ticket: none for the liar, the reopened one for a
        assertThat(next(liar).check()).isNull();
        PeerCheckAssignment retry = next(a).check();
        assertThat(retry.checkId()).isEqualTo(second);
        assertThat(next(a).check()).as("issued once").isNull();
        report(a, retry, honest(retry)).statusCode(200).body("outcome", equalTo("passed"));

        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(as(artist).get("/api/v1/jobs/" + job).then().extract().path("state")));
        List<Map<String, Object>> paid = as(artist).get("/api/v1/jobs/" + job + "/payments").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(paid).extracting(p -> p.get("tile")).containsExactlyInAnyOrder(0, 1);
        JobLedger ledger = ledgerHolds(job);
        assertThat(ledger.verificationFees()).isPositive();
        as(artist).get("/api/v1/jobs/" + job).then().statusCode(200).body("ledger.verificationFees", equalTo((int) ledger.verificationFees()));
        assertThat(checks.forJob(job).checks()).containsEntry("PASSED", 2);
    }

    /** A peer's report, honest outside {@code tileIndex} and nudged inside it (within the verifier's tolerance). */
    private static float[] nudgedOn(PeerCheckAssignment check, int tileIndex) {
        float[] rgb = honest(check);
        for (int i = 0; i < check.pixelCount(); i++) {
            if (check.xy()[2 * i] / SIZE == tileIndex) {
                for (int ch = 0; ch < 3; ch++) {
                    rgb[i * 3 + ch] *= 1.00001f;
                }
            }
        }
        return rgb;
    }

    /** The job's escrow is accounted for to the last micro-token and every cached balance derives from the entries. */
    private JobLedger ledgerHolds(String job) {
        JobLedger ledger = tx.inTransaction(c -> ledgers.jobLedger(c, job));
        assertThat(ledger.escrowed()).isEqualTo(ledger.paid() + ledger.fees() + ledger.verificationFees() + ledger.refunded() + ledger.held());
        assertThat(integrity.checkBalances().mismatches()).isEmpty();
        return ledger;
    }

    private long verificationFees(String job) {
        return tx.inTransaction(c -> ledgers.jobLedger(c, job)).verificationFees();
    }

    @Test
    void aDisputeGoesToAThirdPeerOfAnotherOwnerWhoseRenderDecidesWhichSideWasWrong() {
        String a = worker("dispute-a", TestAccounts.fresh("owner-a"));
        String b = worker("dispute-b", TestAccounts.fresh("owner-b"));
        String c = worker("dispute-c", TestAccounts.fresh("owner-c"));
        unprovenClass(List.of(a, b, c));
        String artist = TestAccounts.fresh("artist");
        String job = job(artist, 2);

        // a's tile is off in the last bits everywhere: the verifier's tolerance lets it through, b's exact render does not
        long forged = renderAndOpen(a, job, 0, nudged(tile(0)));
        long aStake = stake(a);
        PeerCheckAssignment byB = next(b).check();
        assertThat(byB.checkId()).isEqualTo(forged);
        report(b, byB, honest(byB)).statusCode(200).body("outcome", equalTo("disputed"));
        assertThat(next(b).check()).as("the disputing peer does not referee its own dispute").isNull();
        PeerCheckAssignment byC = next(c).check();
        assertThat(byC.checkId()).isEqualTo(forged);
        assertThat(byC.xy()).as("the third peer renders the same pixels").isEqualTo(byB.xy());
        report(c, byC, honest(byC)).statusCode(200).body("outcome", equalTo("upheld")).body("fee", org.hamcrest.Matchers.greaterThan(0));
        await().atMost(Duration.ofSeconds(30)).until(() -> stake(a) < aStake);
        long twoFees = verificationFees(job);
        assertThat(twoFees).as("both peers that were right earn a fee").isPositive();

        // c renders tile 1 honestly; a, as its peer, reports it nudged: b, the third, sides with c and a is slashed
        long honestTile = renderAndOpen(c, job, 1, tile(1));
        long aStakeNow = stake(a);
        PeerCheckAssignment byA = next(a).check();
        assertThat(byA.checkId()).isEqualTo(honestTile);
        report(a, byA, nudgedOn(byA, 1)).statusCode(200).body("outcome", equalTo("disputed"));
        PeerCheckAssignment third = next(b).check();
        assertThat(third.checkId()).isEqualTo(honestTile);
        report(b, third, honest(third)).statusCode(200).body("outcome", equalTo("passed"));
        assertThat(stake(a)).as("the peer that disputed an honest tile is slashed").isLessThan(aStakeNow);
        await().atMost(Duration.ofSeconds(30)).until(() -> as(artist).get("/api/v1/jobs/" + job + "/payments").then().extract()
                .jsonPath().getList("tile").contains(1));
        assertThat(verificationFees(job)).as("one more fee, for the third peer").isGreaterThan(twoFees);
        assertThat(checks.forJob(job).checks()).containsEntry("FAILED", 1).containsEntry("PASSED", 1);
        ledgerHolds(job);
    }
}
