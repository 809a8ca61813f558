package farm.render.coordinator.planning;

import farm.render.core.planning.RenderSettings;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.Tier;

import java.util.List;

/**
 * The price escrowed at submission: every tile of every frame at the tier's price, at most one peer's verification fee per
 * tile (paid only where a peer checks the tile; unused escrow is refunded), plus a margin for rounding and retries.
 */
public final class Quote {
    /** Margin over the exact tile prices, in percent, rounded up. */
    public static final int MARGIN_PERCENT = 10;

    private Quote() {
    }

    /** What one tile pays when verified (before the network fee). */
    public static long tilePrice(RenderSettings settings, Tier tier, TileRect rect) {
        return tier.price(settings.work(rect));
    }

    /** How far, in percent either way, the price shown before launch may be from what the job ends up costing. */
    public static final int UNCERTAINTY_PERCENT = 15;

    public static long of(RenderSettings settings, Tier tier, List<TileRect> tiles, int frames, int feePercent) {
        return withMargin(Math.addExact(exact(settings, tier, tiles, frames), verificationFees(settings, tier, tiles, frames, feePercent)));
    }

    /** A peer's fee for checking one tile: {@code feePercent} of the tile's price, rounded down. */
    public static long verificationFee(RenderSettings settings, Tier tier, TileRect rect, int feePercent) {
        return Math.multiplyExact(tilePrice(settings, tier, rect), feePercent) / 100;
    }

    /** The most the job pays peers when one checks every tile of every frame once. */
    public static long verificationFees(RenderSettings settings, Tier tier, List<TileRect> tiles, int frames, int feePercent) {
        long perFrame = 0;
        for (TileRect rect : tiles) {
            perFrame = Math.addExact(perFrame, verificationFee(settings, tier, rect, feePercent));
        }
        return Math.multiplyExact(perFrame, frames);
    }

    /** Every tile of every frame at the tier's price: what the job costs when each tile is verified once. */
    public static long exact(RenderSettings settings, Tier tier, List<TileRect> tiles, int frames) {
        long perFrame = 0;
        for (TileRect rect : tiles) {
            perFrame = Math.addExact(perFrame, tilePrice(settings, tier, rect));
        }
        return Math.multiplyExact(perFrame, frames);
    }

    static long withMargin(long exact) {
        return Math.floorDiv(Math.multiplyExact(exact, 100 + MARGIN_PERCENT) + 99, 100);
    }

    /** The estimate and its range (rounded outwards) for a price shown before launch. */
    public record Range(long estimate, long low, long high) {
        public static Range around(long estimate) {
            long low = Math.floorDiv(Math.multiplyExact(estimate, 100 - UNCERTAINTY_PERCENT), 100);
            long high = Math.floorDiv(Math.multiplyExact(estimate, 100 + UNCERTAINTY_PERCENT) + 99, 100);
            return new Range(estimate, low, high);
        }
    }
}
