package farm.render.verifier;

import farm.render.core.identity.Ed25519;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.WireJson;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trusted verifier leaves a result alone when its signed task names a peer as checker: the coordinator's peer check
 * judges it, and only a result handed back for the verifier (its task signed again without a checker) is judged here.
 */
class PeerCheckedResultTest {
    @Test
    void aResultWhoseTaskNamesAPeerIsNotJudged() throws Exception {
        KeyPair coordinator = Ed25519.generate();
        KeyPair worker = Ed25519.generate();
        TileTask task = SpotCheckTest.TASK.forWorker("w").withCheckedBy(TileTask.PEER).signedBy(coordinator.getPrivate());
        assertThat(task.peerChecked()).isTrue();
        assertThat(task.signatureValid(coordinator.getPublic())).isTrue();
        assertThat(task.withCheckedBy(null).signatureValid(coordinator.getPublic())).as("the checker is signed").isFalse();
        TileResult result = TileResult.signed(task, "w", 5, "0".repeat(64), worker.getPrivate());
        try (VerifierService service = new VerifierService("127.0.0.1:1", Optional.empty(), null)) {
            assertThat(service.verify(WireJson.encode(result))).isNull();
        }
    }
}
