package farm.render.coordinator.workers;

import farm.render.core.wire.Reputation;

/** A registered worker: its key, record, and its stake and earnings in micro-tokens. */
public record WorkerStanding(String workerId, String publicKey, Reputation reputation, long stake, long available) {
}
