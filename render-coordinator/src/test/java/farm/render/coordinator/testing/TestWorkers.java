package farm.render.coordinator.testing;

import farm.render.core.digest.Digests;
import farm.render.core.identity.Ed25519;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.ClaimRequest;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileTicket;
import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.WireJson;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static farm.render.coordinator.testing.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers for tests that play the worker, registered and claiming the way a worker does: each worker id is
 * registered once per test JVM under one owner account, with its own key, and claims tickets over the owner's
 * API token.
 */
public final class TestWorkers {
    /** The account that owns every test worker. */
    public static final String OWNER = TestAccounts.fresh("gpu-owner");
    private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();

    private TestWorkers() {
    }

    /** The worker's key pair, registering the worker under {@link #OWNER} on first use. */
    public static KeyPair keys(String workerId) {
        return KEYS.computeIfAbsent(workerId, id -> {
            KeyPair keys = Ed25519.generate();
            as(OWNER).contentType("application/json")
                    .body(Map.of("workerId", id, "publicKey", Ed25519.encodePublic(keys.getPublic())))
                    .post("/api/v1/workers").then().statusCode(201);
            return keys;
        });
    }

    /** The device memory test workers declare unless a test says otherwise: more than any test job needs. */
    public static final long LARGE_DEVICE = 64L << 30;

    /** The coordinator's answers to the worker's claim of these tickets, declaring {@link #LARGE_DEVICE}. */
    public static List<ClaimAnswer> claim(String workerId, List<TileTicket> tickets) {
        return claim(workerId, tickets, LARGE_DEVICE);
    }

    /** The coordinator's answers to the worker's claim of these tickets, declaring {@code deviceMemoryBytes} (null: none). */
    public static List<ClaimAnswer> claim(String workerId, List<TileTicket> tickets, Long deviceMemoryBytes) {
        keys(workerId);
        byte[] body = as(OWNER).contentType("application/json")
                .body(WireJson.encode(new ClaimRequest(tickets.stream().map(TileTicket::ref).toList(), deviceMemoryBytes)))
                .post("/api/v1/workers/" + workerId + "/claims").then().statusCode(200).extract().asByteArray();
        return WireJson.decode(body, ClaimAnswer.Batch.class).answers();
    }

    /** The task the worker gets for one ticket, which must be granted. */
    public static TileTask task(String workerId, TileTicket ticket) {
        ClaimAnswer answer = claim(workerId, List.of(ticket)).get(0);
        assertThat(answer.refusal()).as("claim of " + ticket.taskId() + " by " + workerId + ": " + answer.detail()).isNull();
        return answer.task();
    }

    /** A verifier's verdict on the tile {@code bytes} the worker uploaded for the task. */
    public static TileVerdict verdict(TileTask t, String worker, boolean passed, byte[] bytes) {
        return new TileVerdict(t.taskId(), t.jobId(), t.frame(), t.tile(), t.attempt(), worker, passed,
                passed ? "" : "3 of 16 pixels differ", 16, passed ? 0 : 3, List.of(), true, Digests.sha256Hex(bytes));
    }
}
