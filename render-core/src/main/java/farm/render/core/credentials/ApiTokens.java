package farm.render.core.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a command-line client finds its API token, the same for {@code ./farm submit}, the worker and
 * the verifier: {@code --token T}, else {@code $FARM_TOKEN}, else {@code ~/.config/render-farm/token}
 * (under {@code $XDG_CONFIG_HOME} when set), else the local stack's operator token
 * ({@code $FARM_DIR/operator.token}, {@code $FARM_DIR} defaulting to {@code $FARM_ROOT/.farm}).
 */
public final class ApiTokens {
    public static final String ENV = "FARM_TOKEN";
    public static final String LOCAL_STACK_FILE = "operator.token";

    private ApiTokens() {
    }

    /** The token to send, if any source has one; {@code flag} is the command line's {@code --token} (or null). */
    public static Optional<String> resolve(String flag, Map<String, String> env) {
        if (flag != null && !flag.isBlank()) {
            return Optional.of(flag.strip());
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        return read(userFile(env)).or(() -> read(localStackFile(env)));
    }

    /** Like {@link #resolve}, but says where a token can come from when none does. */
    public static String require(String flag, Map<String, String> env) {
        return resolve(flag, env).orElseThrow(() -> new IllegalArgumentException("no API token: pass --token T, set "
                + ENV + ", or put one in " + userFile(env) + " (create tokens in the web UI under API tokens)"));
    }

    public static Path userFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return config.resolve("render-farm").resolve("token");
    }

    public static Path localStackFile(Map<String, String> env) {
        String dir = env.get("FARM_DIR");
        Path farmDir = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(env.getOrDefault("FARM_ROOT", ".")).resolve(".farm");
        return farmDir.resolve(LOCAL_STACK_FILE);
    }

    /** The {@code Authorization} header's value for {@code token}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private static Optional<String> read(Path file) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token in " + file, e);
        }
    }
}
