package farm.render.coordinator.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the Kafka cluster answers. */
@Readiness
@ApplicationScoped
public class KafkaHealth implements HealthCheck {
    private final KafkaSetup kafka;
    private final KafkaClients clients;

    public KafkaHealth(KafkaSetup kafka, KafkaClients clients) {
        this.kafka = kafka;
        this.clients = clients;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka").status(kafka.reachable(3000))
                .withData("bootstrap.servers", clients.bootstrapServers()).build();
    }
}
