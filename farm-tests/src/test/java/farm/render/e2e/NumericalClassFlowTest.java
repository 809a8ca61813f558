package farm.render.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.core.credentials.ApiTokens;
import farm.render.core.identity.Ed25519;
import farm.render.core.ledger.ChainCheck;
import farm.render.core.ledger.LedgerChain;
import farm.render.core.ledger.LedgerExport;
import farm.render.core.wire.RendererVersion;
import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.LocalStack;
import farm.render.stack.services.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Numerical classes and peer checks on the real stack: the verifier hands in its class and probe digests at start; two
 * owners' workers on lavapipe held to SSE4.1 (another class) render the probe tiles their first claim hands them, and
 * their class is proven because every bit matched the verifier's; workers whose arithmetic the test-only switch perturbs
 * are a class whose probe runs differ and stays unproven. Two of them, of different owners, check each other's tiles as
 * peers; a third lies in its peer checks and is slashed. Every tile is verified (by the verifier or a peer) and paid
 * once, every peer fee is paid once, and the exported ledger checks out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NumericalClassFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    OwnStack own;
    LocalStack stack;

    @BeforeAll
    void start() throws IOException {
        own = OwnStack.start("farm-classes");
        stack = own.stack();
    }

    @AfterAll
    void stop() {
        if (own != null) {
            own.close();
        }
    }

    private JsonNode classes() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(stack.coordinatorUrl() + "/api/v1/device-classes"))
                .header("Authorization", ApiTokens.bearer(stack.operatorToken())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode row(JsonNode table, String classId) {
        for (JsonNode c : table.path("classes")) {
            if (c.path("id").asText().equals(classId)) {
                return c;
            }
        }
        throw new AssertionError("no class " + classId + " in " + table);
    }

    /** The class the worker's log says it reported. */
    private static String classOf(ServiceProcess worker) {
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String log = Files.readString(worker.log());
            int at = log.indexOf("render-worker: numerical class ");
            return at < 0 ? null : log.substring(at + "render-worker: numerical class ".length()).split("\\s")[0];
        }, id -> id != null);
    }

    private static boolean probed(ServiceProcess worker) {
        try {
            return Files.readString(worker.log()).contains("rendered and reported 64 probe tiles");
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the worker reported a peer check and the coordinator made this of it (passed, lied, disputed). */
    private static boolean checked(ServiceProcess worker, String outcome) {
        try {
            return Files.readString(worker.log()).lines().anyMatch(l -> l.contains("pixels of peer check") && l.endsWith(": " + outcome));
        } catch (IOException e) {
            return false;
        }
    }

    private LedgerExport.Contents ledger() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.coordinatorUrl() + "/api/v1/ledger/export"))
                .header("Authorization", ApiTokens.bearer(stack.operatorToken())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return LedgerExport.read(new BufferedReader(new StringReader(r.body())));
    }

    @Test
    void twoOwnersProveAnSse41ClassWhileAPerturbedClassIsCheckedByPeers() throws Exception {
        String reference = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> classes().path("references").path(RendererVersion.CURRENT).asText(null), id -> id != null);
        String other = FarmClient.signUp(stack.coordinatorUrl(), "owner-" + UUID.randomUUID().toString().substring(0, 8),
                "a long enough password for the test");
        Map<String, String> sse = Map.of("GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1");
        ServiceProcess mine = stack.startWorker(List.of(), sse);
        ServiceProcess theirs = stack.startWorker(List.of(), Map.of("GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1", ApiTokens.ENV, other));
        ServiceProcess perturbed = stack.startWorker(List.of(), Map.of("FARM_TEST_PERTURB_LAST_BIT", "1", ApiTokens.ENV, other));
        // the liar shares the perturbed worker's owner, so it may check only the other peer's tiles, which it shares with
        // the perturbed worker; the perturbed worker's and its own tiles go to the other peer
        ServiceProcess peer = stack.startWorker(List.of(), Map.of("FARM_TEST_PERTURB_LAST_BIT", "1"));
        ServiceProcess liar = stack.startWorker(List.of(), Map.of("FARM_TEST_PERTURB_LAST_BIT", "1", "FARM_TEST_LIE_IN_PEER_CHECKS", "1",
                ApiTokens.ENV, other));
        String sseClass = classOf(mine);
        assertThat(classOf(theirs)).isEqualTo(sseClass);
        String perturbedClass = classOf(perturbed);
        assertThat(classOf(peer)).isEqualTo(perturbedClass);
        assertThat(classOf(liar)).isEqualTo(perturbedClass);
        assertThat(List.of(sseClass, perturbedClass)).doesNotContain(reference).doesNotHaveDuplicates();

        // the share group may give a worker no partition of a tier: jobs go out, on both tiers a new worker may take, until
        // each worker had its first claim
        FarmClient client = own.client();
        List<ServiceProcess> workers = List.of(mine, theirs, perturbed, peer, liar);
        for (int jobs = 0; jobs < 5 && !(workers.stream().allMatch(NumericalClassFlowTest::probed)
                && (checked(perturbed, "passed") || checked(peer, "passed")) && (checked(liar, "lied") || checked(liar, "disputed"))); jobs++) {
            String jobId = client.createJob(Map.of("sceneDigest", own.scene(), "width", 64, "height", 64, "spp", 8, "maxBounces", 4,
                    "tileSize", 16, "tier", jobs % 2 == 0 ? "economy" : "standard")).path("id").asText();
            JsonNode done = await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> client.job(jobId), j -> !j.path("state").asText().equals("RUNNING"));
            assertThat(done.path("state").asText()).isEqualTo("COMPLETED");
            Set<String> paid = new HashSet<>();
            for (JsonNode p : client.payments(jobId)) {
                assertThat(paid.add(p.path("frame").asInt() + "/" + p.path("tile").asInt())).as("paid twice: %s", p).isTrue();
            }
            assertThat(paid).as("every tile verified and paid once").hasSize(done.path("tiles").path("total").asInt());
            JsonNode ledger = done.path("ledger");
            assertThat(ledger.path("escrowed").asLong()).as("%s", ledger).isEqualTo(ledger.path("paid").asLong() + ledger.path("fees").asLong()
                    + ledger.path("verificationFees").asLong() + ledger.path("refunded").asLong() + ledger.path("held").asLong());
        }
        for (ServiceProcess w : workers) {
            assertThat(probed(w)).as("probe run of %s", w.log()).isTrue();
        }
        assertThat(checked(perturbed, "passed") || checked(peer, "passed")).as("an honest peer check passed").isTrue();
        assertThat(checked(liar, "lied") || checked(liar, "disputed")).as("the liar checked a tile").isTrue();
        assertThat(checked(liar, "passed")).as("a lying peer never passes a check").isFalse();

        // the liar is slashed (at once for wrong known answers, or when the verifier referees), each peer fee paid once
        LedgerExport.Contents ledger = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(this::ledger, l -> l.entries().stream().anyMatch(e -> e.kind().equals("SLASH") && e.memo().contains("pixels not rendered")));
        assertThat(LedgerChain.verify(Ed25519.decodePublic(ledger.header().coordinatorPublicKey()), ledger.entries()))
                .isInstanceOf(ChainCheck.Intact.class);
        List<String> fees = ledger.entries().stream().filter(e -> e.kind().equals("VERIFICATION_FEE")).map(e -> e.memo()).toList();
        assertThat(fees).isNotEmpty().doesNotHaveDuplicates();

        JsonNode table = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(this::classes, t -> row(t, sseClass).path("probeRuns").asInt() == 2 && row(t, perturbedClass).path("probeRuns").asInt() == 3);
        JsonNode proven = row(table, sseClass);
        assertThat(proven.path("status").asText()).as("%s", proven).isEqualTo("proven");
        assertThat(proven.path("matchingOwners").asInt()).isEqualTo(2);
        assertThat(proven.path("equivalentTo").toString()).contains(reference);
        JsonNode unproven = row(table, perturbedClass);
        assertThat(unproven.path("status").asText()).as("%s", unproven).isEqualTo("unproven");
        assertThat(unproven.path("differingRuns").asInt()).isEqualTo(3);
        assertThat(unproven.path("equivalentTo").size()).isZero();
        assertThat(row(table, reference).path("status").asText()).isEqualTo("reference");
    }
}
