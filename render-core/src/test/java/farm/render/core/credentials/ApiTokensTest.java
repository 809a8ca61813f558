package farm.render.core.credentials;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where command-line clients find their token: flag, environment, user file, local stack; in that order. */
class ApiTokensTest {
    @Test
    void theFirstSourceThatHasATokenWins(@TempDir Path home) throws Exception {
        Path farmDir = Files.createDirectories(home.resolve("farm"));
        Map<String, String> env = Map.of("HOME", home.toString(), "FARM_DIR", farmDir.toString());
        assertThat(ApiTokens.resolve(null, env)).isEmpty();

        Files.writeString(farmDir.resolve("operator.token"), "rf_local\n");
        assertThat(ApiTokens.resolve(null, env)).contains("rf_local");

        Path user = ApiTokens.userFile(env);
        assertThat(user).isEqualTo(home.resolve(".config/render-farm/token"));
        Files.createDirectories(user.getParent());
        Files.writeString(user, "rf_user\n");
        assertThat(ApiTokens.resolve(null, env)).contains("rf_user");

        Map<String, String> withEnv = Map.of("HOME", home.toString(), "FARM_DIR", farmDir.toString(), "FARM_TOKEN", "rf_env");
        assertThat(ApiTokens.resolve(null, withEnv)).contains("rf_env");
        assertThat(ApiTokens.resolve(" rf_flag ", withEnv)).contains("rf_flag");
    }

    @Test
    void withoutAnyTokenTheMessageSaysWhereOneCanGo(@TempDir Path home) {
        Map<String, String> env = Map.of("HOME", home.toString(), "FARM_DIR", home.resolve("none").toString());
        assertThatThrownBy(() -> ApiTokens.require(null, env)).hasMessageContaining("--token")
                .hasMessageContaining("FARM_TOKEN").hasMessageContaining(home.resolve(".config/render-farm/token").toString());
        assertThat(ApiTokens.bearer("rf_x")).isEqualTo("Bearer rf_x");
    }
}
