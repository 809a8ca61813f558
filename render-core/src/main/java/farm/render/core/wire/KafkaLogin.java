package farm.render.core.wire;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A SCRAM-SHA-512 login on the farm's Kafka listener: the farm's own services share one (a super
 * user), each worker gets its own from the coordinator at registration. The one place the client
 * settings for it are spelled out.
 */
public record KafkaLogin(String username, String password) {
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";
    /** Environment variables the farm's services read their login from. */
    public static final String USER_ENV = "FARM_KAFKA_USER";
    public static final String PASSWORD_ENV = "FARM_KAFKA_PASSWORD";

    public KafkaLogin {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a Kafka login needs a user name and a password");
        }
    }

    /** The login named by {@code FARM_KAFKA_USER} and {@code FARM_KAFKA_PASSWORD}, when both are set. */
    public static Optional<KafkaLogin> fromEnvironment() {
        return of(System.getenv(USER_ENV), System.getenv(PASSWORD_ENV));
    }

    public static Optional<KafkaLogin> of(String username, String password) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KafkaLogin(username, password));
    }

    /** Client settings (producer, consumer, share consumer, admin) that authenticate as this login. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("security.protocol", SECURITY_PROTOCOL);
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + quoted(username) + "\" password=\"" + quoted(password) + "\";");
        return p;
    }

    /** {@code base} plus this login's settings, or {@code base} alone without a login. */
    public static Map<String, Object> with(Optional<KafkaLogin> login, Map<String, Object> base) {
        Map<String, Object> all = new LinkedHashMap<>(base);
        login.ifPresent(l -> all.putAll(l.clientProperties()));
        return all;
    }

    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaLogin[" + username + "]"; // never the password in a log line
    }
}
