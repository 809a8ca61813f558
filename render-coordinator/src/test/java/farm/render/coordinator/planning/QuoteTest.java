package farm.render.coordinator.planning;

import farm.render.core.planning.RenderSettings;
import farm.render.core.planning.TilePlanner;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.Tier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuoteTest {
    @Test
    void quoteIsTilePricesPlusTenPercentRoundedUp() {
        RenderSettings s = new RenderSettings(100, 50, 16, 8, 64, 1);
        List<TileRect> tiles = TilePlanner.plan(s);
        long exact = 0;
        for (TileRect t : tiles) {
            exact += Tier.STANDARD.price(s.work(t));
        }
        assertThat(exact).isEqualTo(Tier.STANDARD.price(100L * 50 * 16)); // tiles partition the frame exactly here
        long quote = Quote.of(s, Tier.STANDARD, tiles, 3, 0);
        assertThat(quote).isEqualTo((exact * 3 * 110 + 99) / 100);
        assertThat(quote).isGreaterThanOrEqualTo(exact * 3);
    }

    @Test
    void roundsUpFractions() {
        RenderSettings s = new RenderSettings(8, 8, 1, 1, 8, 1);
        long price = Tier.ECONOMY.price(64); // 64 samples at 1000 per kilo-sample = 64
        assertThat(Quote.of(s, Tier.ECONOMY, TilePlanner.plan(s), 1, 0)).isEqualTo((price * 110 + 99) / 100);
    }

    @Test
    void theQuoteEscrowsOnePeersFeePerTileBeforeTheMargin() {
        RenderSettings s = new RenderSettings(200, 100, 16, 8, 64, 1);
        List<TileRect> tiles = TilePlanner.plan(s);
        long exact = Quote.exact(s, Tier.STANDARD, tiles, 2);
        long fees = 0;
        for (TileRect t : tiles) {
            fees += Tier.STANDARD.price(s.work(t)) * 3 / 100;
        }
        assertThat(Quote.verificationFees(s, Tier.STANDARD, tiles, 2, 3)).isEqualTo(fees * 2).isPositive();
        assertThat(Quote.of(s, Tier.STANDARD, tiles, 2, 3)).isEqualTo(((exact + fees * 2) * 110 + 99) / 100);
    }
}
