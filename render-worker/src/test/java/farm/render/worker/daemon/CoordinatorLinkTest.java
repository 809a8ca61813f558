package farm.render.worker.daemon;

import farm.render.core.wire.Tier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CoordinatorLinkTest {
    @Test
    void readsTheCoordinatorsWorkerView() throws Exception {
        String body = """
                {"workerId":"w1","publicKey":"MCow","reputation":{"passes":3.5,"fails":0.0,"score":0.82,"isNew":true,
                 "suspect":false,"trusted":false},"allowedTiers":["STANDARD","ECONOMY"],"allowedTierNames":["standard","economy"],
                 "sampledPixels":100,"stake":10000000,"available":0}""";
        CoordinatorLink.Standing s = CoordinatorLink.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(s.allowedTiers()).containsExactly(Tier.STANDARD, Tier.ECONOMY);
        assertThat(s.reputation().passes()).isEqualTo(3.5);
        assertThat(s.sampledPixels()).isEqualTo(100);
        assertThat(s.stake()).isEqualTo(10_000_000);
    }

    @Test
    void readsTheKafkaLoginARegistrationHandsOut() throws Exception {
        String body = """
                {"workerId":"w1","publicKey":"MCow","reputation":{"passes":0,"fails":0,"score":0.5},"allowedTiers":["ECONOMY"],
                 "sampledPixels":100,"stake":1,"available":0,"kafka":{"bootstrapServers":"127.0.0.1:9092",
                 "securityProtocol":"SASL_PLAINTEXT","saslMechanism":"SCRAM-SHA-512","username":"worker-w1","password":"s3cret"}}""";
        CoordinatorLink.Registration r = CoordinatorLink.parseRegistration(body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.standing().allowedTiers()).containsExactly(Tier.ECONOMY);
        assertThat(r.kafkaLogin()).hasValueSatisfying(l -> {
            assertThat(l.username()).isEqualTo("worker-w1");
            assertThat(l.clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
            assertThat(l.toString()).doesNotContain("s3cret");
        });
        String open = """
                {"workerId":"w1","publicKey":"MCow","reputation":{"passes":0,"fails":0,"score":0.5},"allowedTiers":[],"kafka":null}""";
        assertThat(CoordinatorLink.parseRegistration(open.getBytes(StandardCharsets.UTF_8)).kafkaLogin()).isEmpty();
    }
}
