package farm.render.coordinator.planning;

import farm.render.core.planning.RenderSettings;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.Tier;

import java.util.List;

/** The price escrowed at submission: every tile of every frame at the tier's price, plus a margin for rounding and retries. */
public final class Quote {
    /** Margin over the exact tile prices, in percent, rounded up. */
    public static final int MARGIN_PERCENT = 10;

    private Quote() {
    }

    /** What one tile pays when verified (before the network fee). */
    public static long tilePrice(RenderSettings settings, Tier tier, TileRect rect) {
        return tier.price(settings.work(rect));
    }

    public static long of(RenderSettings settings, Tier tier, List<TileRect> tiles, int frames) {
        long perFrame = 0;
        for (TileRect rect : tiles) {
            perFrame = Math.addExact(perFrame, tilePrice(settings, tier, rect));
        }
        long exact = Math.multiplyExact(perFrame, frames);
        return Math.floorDiv(Math.multiplyExact(exact, 100 + MARGIN_PERCENT) + 99, 100);
    }
}
