package farm.render.core.wire;

import java.util.List;

/**
 * A worker's record as recency-weighted verdict counts: each pass and fail counts with weight
 * 2^(-age / half-life), so old history fades. One home for what the record decides: the tiers the
 * worker may take and how many pixels the verifier samples from its tiles.
 *
 * @param passes decayed count of passed verdicts
 * @param fails  decayed count of failed verdicts
 */
public record Reputation(double passes, double fails) {
    public static final Reputation NEW = new Reputation(0, 0);
    /** Below this decayed verdict weight a worker is new. */
    public static final double NEW_BELOW = 20;
    /** From this decayed pass weight, with a clean record, a worker is trusted. */
    public static final double TRUSTED_FROM = 200;

    /** In [0, 1]: a Beta(1, 1) prior, with a fail weighing as much as four passes. */
    public double score() {
        return (passes + 1) / (passes + 4 * fails + 2);
    }

    public boolean isNew() {
        return passes + fails < NEW_BELOW;
    }

    /** A recent failure, or a poor record: sampled hardest, economy work only. */
    public boolean isSuspect() {
        return fails >= 0.5 || (!isNew() && score() < 0.9);
    }

    public boolean isTrusted() {
        return !isSuspect() && passes >= TRUSTED_FROM && score() >= 0.98;
    }

    public List<Tier> allowedTiers() {
        if (isSuspect()) {
            return List.of(Tier.ECONOMY);
        }
        return isTrusted() ? List.of(Tier.PRIORITY, Tier.STANDARD, Tier.ECONOMY) : List.of(Tier.STANDARD, Tier.ECONOMY);
    }

    /**
     * Pixels the verifier checks per tile. With no mismatch tolerated, a forger of a fraction f of a
     * tile escapes one check with probability (1-f)^k: at f = 5% that is 0.14% for a new worker
     * (k = 128), 0.005% for a suspect one (k = 192); trusted workers risk their stake and record on every tile.
     */
    public int sampledPixels() {
        if (isSuspect()) {
            return 192;
        }
        if (isNew()) {
            return 128;
        }
        return isTrusted() ? 32 : 64;
    }
}
