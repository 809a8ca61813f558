package farm.render.coordinator.planning;

/**
 * A price shown before launch, for exactly the job the same request would create. {@code estimate} is
 * what the job costs when every tile is verified once, {@code low}..{@code high} the range shown for the
 * estimate's uncertainty ({@link Quote#UNCERTAINTY_PERCENT} either way), {@code verificationFees} the most peers are
 * paid for checking tiles of an unproven numerical class (one fee per tile; none where the trusted verifier checks), {@code escrow} what launching
 * holds back (unused escrow is refunded when the job ends). {@code balance} is the account's balance now
 * (or the grant a new account opens with); {@code affordable} whether it covers the escrow. Micro-tokens.
 * {@code deviceMemoryBytes} is the device memory one task needs: only workers that declare as much render the job.
 */
public record QuoteEstimate(String sceneDigest, String tier, String frameList, int frameCount, int width, int height, int spp,
                            int maxBounces, int tileSize, int tilesPerFrame, int tiles, long pixelSamples,
                            long estimate, long low, long high, int uncertaintyPercent, long verificationFees, long escrow,
                            long balance, boolean affordable, String currency, long deviceMemoryBytes) {
}
