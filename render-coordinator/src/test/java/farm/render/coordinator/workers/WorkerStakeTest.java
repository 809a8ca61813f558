package farm.render.coordinator.workers;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.ledger.Accounts;
import farm.render.coordinator.ledger.EntryKind;
import farm.render.coordinator.ledger.Ledger;
import farm.render.coordinator.ledger.Slashing;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.coordinator.verdicts.VerdictHandler;
import farm.render.coordinator.verdicts.VerdictOutcome;
import farm.render.core.identity.Ed25519;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static farm.render.coordinator.testing.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A worker's stake comes out of its owner's account, once per worker id: a new id is never free. */
@QuarkusTest
@WithTestResource(FarmServices.class)
class WorkerStakeTest {
    private static final long STAKE = 10_000_000L;

    @Inject
    Transactions tx;

    @Inject
    Ledger ledger;

    @Inject
    VerdictHandler handler;

    private static String newKey() {
        return Ed25519.encodePublic(Ed25519.generate().getPublic());
    }

    private static io.restassured.response.ValidatableResponse register(String owner, String workerId, String key) {
        return as(owner).contentType("application/json").body(Map.of("workerId", workerId, "publicKey", key))
                .post("/api/v1/workers").then();
    }

    private static long balance(String owner, String account) {
        return ((Number) as(owner).get("/api/v1/accounts/" + account).then().statusCode(200).extract().path("balance")).longValue();
    }

    /** Spends all of the account's balance but {@code keep}, as if it had paid for jobs. */
    private void spendAllBut(String account, long keep) {
        tx.inTransaction(c -> ledger.transfer(c, EntryKind.MINT, null, "spent elsewhere", account, Accounts.MINT,
                ledger.balance(c, account) - keep));
    }

    @Test
    void anOwnerWhoCannotPayIsRefusedAndASecondWorkerIdGetsNoFreeStake() {
        String owner = TestAccounts.fresh("thrifty");
        String account = Accounts.artist(owner);
        TestAccounts.token(owner);
        spendAllBut(account, STAKE); // enough for exactly one worker
        String first = TestAccounts.fresh("gpu");
        String key = newKey();
        register(owner, first, key).statusCode(201).body("stake", equalTo((int) STAKE));
        assertThat(balance(owner, account)).isZero();

        String second = TestAccounts.fresh("gpu");
        register(owner, second, newKey()).statusCode(402).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/insufficient-funds"))
                .body("detail", containsString("stake of " + STAKE)).body("detail", containsString(account));
        as(owner).get("/api/v1/workers/" + second).then().statusCode(404);
        as(owner).get("/api/v1/accounts/" + Accounts.stake(second)).then().statusCode(404); // no stake account, let alone a minted stake

        // the same worker registering again moves no stake: it is idempotent, not a second charge
        register(owner, first, key).statusCode(200).body("stake", equalTo((int) STAKE));
        assertThat(balance(owner, account)).isZero();

        // once the owner can pay, the refused id registers and pays
        tx.inTransaction(c -> ledger.transfer(c, EntryKind.MINT, null, "top-up", Accounts.MINT, account, STAKE));
        register(owner, second, newKey()).statusCode(201).body("stake", equalTo((int) STAKE));
        assertThat(balance(owner, account)).isZero();
    }

    @Test
    void theOwnersBalanceFallsByTheStakeItsWorkerHolds() {
        String owner = TestAccounts.fresh("gpu-owner");
        String account = Accounts.artist(owner);
        TestAccounts.token(owner);
        long before = balance(owner, account);
        String worker = TestAccounts.fresh("gpu");
        register(owner, worker, newKey()).statusCode(201).body("stake", equalTo((int) STAKE));
        assertThat(balance(owner, account)).isEqualTo(before - STAKE);
        assertThat(balance(owner, Accounts.stake(worker))).isEqualTo(STAKE);
    }

    @Test
    void aSlashedWorkerComingBackUnderANewIdCostsItsOwnerAnotherStake() {
        String owner = TestAccounts.fresh("cheater");
        String account = Accounts.artist(owner);
        TestAccounts.token(owner);
        long start = balance(owner, account);
        String cheat = TestAccounts.fresh("cheat");
        register(owner, cheat, newKey()).statusCode(201);

        String artist = "artist:" + TestAccounts.fresh("victim");
        String digest = as(artist).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "t.gltf")
                .post("/api/v1/scenes").then().extract().path("digest");
        String job = as(artist).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 16, "height", 8, "spp", 2, "tileSize", 8, "tier", "economy"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        TileVerdict forged = new TileVerdict(TileTask.taskId(job, 0, 0, 1), job, 0, 0, 1, cheat, false, "forged", 100, 7,
                List.of(), true);
        assertThat(handler.handle(forged)).isInstanceOf(VerdictOutcome.Retried.class);
        as(owner).get("/api/v1/workers/" + cheat).then().body("stake", equalTo((int) (STAKE - STAKE * Slashing.SLASH_PERCENT / 100)))
                .body("reputation.suspect", equalTo(true));

        String again = TestAccounts.fresh("cheat");
        register(owner, again, newKey()).statusCode(201).body("stake", equalTo((int) STAKE));
        assertThat(balance(owner, account)).as("each id's stake came from the owner").isEqualTo(start - 2 * STAKE);
    }
}
