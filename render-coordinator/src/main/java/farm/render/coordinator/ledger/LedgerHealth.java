package farm.render.coordinator.ledger;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * DOWN while the ledger's balances or chain do not hold (see {@link LedgerIntegrity}). A wellness check:
 * it alerts without taking replicas out of the load balancer, which still serve reads and pay verified tiles.
 */
@Wellness
@ApplicationScoped
public class LedgerHealth implements HealthCheck {
    private final LedgerIntegrity integrity;

    public LedgerHealth(LedgerIntegrity integrity) {
        this.integrity = integrity;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("ledger-integrity");
        integrity.lastCheck().ifPresent(c -> b.withData("accounts", c.accounts()).withData("mismatches", c.count())
                .withData("checkMillis", c.took().toMillis()));
        integrity.problem().ifPresentOrElse(p -> b.down().withData("problem", p), b::up);
        return b.build();
    }
}
