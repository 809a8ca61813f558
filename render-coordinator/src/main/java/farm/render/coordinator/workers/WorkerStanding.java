package farm.render.coordinator.workers;

import farm.render.core.wire.Reputation;
import java.util.Optional;

/** A registered worker: its key, record, its stake and earnings in micro-tokens, and its last device report. */
public record WorkerStanding(String workerId, String publicKey, Reputation reputation, long stake, long available,
                             Optional<DeviceReport> device) {
}
