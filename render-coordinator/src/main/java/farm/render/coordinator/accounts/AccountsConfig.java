package farm.render.coordinator.accounts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Accounts, sessions and the bootstrap operator ({@code farm.accounts.*}). */
@ConfigMapping(prefix = "farm.accounts")
public interface AccountsConfig {
    /** PBKDF2-HMAC-SHA256 iterations for new password hashes; stored hashes keep their own count. */
    @WithDefault("210000")
    int passwordIterations();

    /** How long a browser session lasts after login. */
    @WithDefault("PT12H")
    Duration sessionLifetime();

    /**
     * An API token for the operator account {@code local}, ensured at every start (the local stack sets
     * it from {@code FARM_BOOTSTRAP_TOKEN}); absent: no bootstrap operator.
     */
    Optional<String> bootstrapToken();

    /** Name of the operator account the bootstrap token belongs to. */
    @WithDefault("local")
    String bootstrapAccount();
}
