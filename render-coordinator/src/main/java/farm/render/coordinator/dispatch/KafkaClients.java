package farm.render.coordinator.dispatch;

import farm.render.coordinator.FarmConfig;
import farm.render.core.wire.KafkaLogin;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.CommonClientConfigs;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;
import java.util.Properties;

/**
 * Common client settings for every Kafka client the coordinator opens: the bootstrap servers and,
 * on a broker that authenticates, the farm services' SASL/SCRAM login
 * ({@code farm.kafka.sasl.username}/{@code password}, from {@code FARM_KAFKA_USER}/{@code FARM_KAFKA_PASSWORD}).
 */
@ApplicationScoped
public class KafkaClients {
    private final String bootstrapServers;
    private final Optional<KafkaLogin> login;

    public KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, FarmConfig config) {
        this.bootstrapServers = bootstrapServers;
        Optional<String> username = config.kafka().sasl().username();
        Optional<String> password = config.kafka().sasl().password();
        this.login = KafkaLogin.of(username.orElse(null), password.orElse(null));
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalStateException("farm.kafka.sasl.username and farm.kafka.sasl.password go together: set both or neither");
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The services' login; empty when the broker does not authenticate (then workers get no logins either). */
    public Optional<KafkaLogin> login() {
        return login;
    }

    public Properties base(String clientId) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        login.ifPresent(l -> p.putAll(l.clientProperties()));
        return p;
    }
}
