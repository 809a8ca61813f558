package farm.render.worker.daemon;

import java.util.Locale;

/**
 * Ways a dishonest worker might try to get paid without rendering the task as asked. Only tests and
 * the verification benchmark switch one on, and only with {@code -Dfarm.testing.cheats=true}: they
 * prove the verifier catches each.
 */
public enum Cheat {
    /** Uniform random pixels. */
    RANDOM,
    /** Rendered with half the samples the task asked for. */
    FEWER_SAMPLES,
    /** A neighbouring tile of the same frame, rendered honestly, passed off as this one. */
    COPY_TILE,
    /** The same tile of the next frame. */
    COPY_FRAME,
    /** All zero. */
    BLACK,
    /** One flat colour. */
    CONSTANT,
    /** An honest render with 1% of its pixels replaced. */
    FORGE_1_PERCENT(0.01),
    /** An honest render with 5% of its pixels replaced. */
    FORGE_5_PERCENT(0.05),
    /** An honest render with 25% of its pixels replaced. */
    FORGE_25_PERCENT(0.25),
    /** The tile and signature of this worker's previous valid result, sent for the next task. */
    REPLAY,
    /** An honest render signed with another worker's key. */
    FOREIGN_KEY;

    public static final String SWITCH = "farm.testing.cheats";

    private final double forgedFraction;

    Cheat() {
        this(-1);
    }

    Cheat(double forgedFraction) {
        this.forgedFraction = forgedFraction;
    }

    /** For the FORGE modes, the fraction of pixels replaced; otherwise negative. */
    public double forgedFraction() {
        return forgedFraction;
    }

    /**
     * Parses {@code --cheat MODE} (e.g. {@code forge-5-percent}).
     *
     * @throws IllegalArgumentException unless {@code -Dfarm.testing.cheats=true}, or for an unknown mode
     */
    public static Cheat parse(String mode) {
        if (!Boolean.getBoolean(SWITCH)) {
            throw new IllegalArgumentException("--cheat is a test-only mode (needs -D" + SWITCH + "=true)");
        }
        try {
            return valueOf(String.valueOf(mode).toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown cheat '" + mode + "'");
        }
    }
}
