package farm.render.coordinator.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;

/** Where the coordinator's signing keys live ({@code farm.identity.*}). */
@ConfigMapping(prefix = "farm.identity")
public interface IdentityConfig {
    /** The folder holding task-signing.key and ledger-signing.key (mode 700, files 600). */
    @WithDefault(".farm/coordinator-keys")
    Path keyDir();
}
