package farm.render.coordinator.accounts;

import java.time.Instant;

/** A user of the farm: {@code name} owns the ledger account {@code artist:NAME}; operators may use farm-wide endpoints. */
public record Account(String name, boolean operator, Instant createdAt) {
}
