package farm.render.coordinator.accounts;

import java.time.Instant;

/** An API token as listed: never the token itself, which is shown once when created. */
public record ApiToken(long id, String name, Instant createdAt, Instant lastUsedAt) {
}
