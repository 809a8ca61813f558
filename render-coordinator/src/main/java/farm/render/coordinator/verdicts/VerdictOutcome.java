package farm.render.coordinator.verdicts;

/** What one verdict did. */
public sealed interface VerdictOutcome {
    /** Stale (old attempt, tile already verified, job finished or unknown): nothing changed. */
    record Ignored(String why) implements VerdictOutcome {
    }

    /** The tile is verified and paid ({@code paid} false only if a payment already existed). */
    record Verified(boolean paid) implements VerdictOutcome {
    }

    /** The attempt failed and the tile went out again as {@code nextAttempt}. */
    record Retried(int nextAttempt) implements VerdictOutcome {
    }

    /** The tile exhausted its attempts: the job failed and its escrow was refunded. */
    record JobFailed(String reason) implements VerdictOutcome {
    }
}
