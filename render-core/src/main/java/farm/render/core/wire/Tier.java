package farm.render.core.wire;

import java.util.Locale;

/** Price tiers; each has its own task topic, and workers poll higher tiers first. */
public enum Tier {
    PRIORITY(3000), STANDARD(2000), ECONOMY(1000);

    /** Price in micro-tokens per thousand pixel samples. */
    private final long microTokensPerKiloSample;

    Tier(long microTokensPerKiloSample) {
        this.microTokensPerKiloSample = microTokensPerKiloSample;
    }

    public String topic() {
        return Topics.TASKS_PREFIX + name().toLowerCase(Locale.ROOT);
    }

    /** Price of {@code samples} pixel samples in micro-tokens, rounded up. */
    public long price(long samples) {
        return Math.floorDiv(Math.multiplyExact(samples, microTokensPerKiloSample) + 999, 1000);
    }

    public static Tier parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("tier must be one of priority, standard, economy");
        }
    }
}
