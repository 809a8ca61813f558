package farm.render.verifier;

import farm.render.core.digest.Digests;
import farm.render.core.image.PixelComparison;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.TileRenderer;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Judges one result: the uploaded bytes must be the ones the worker claimed, decode to a tile of the
 * task's size, and k pixels drawn with this verifier's own randomness, after the result arrived,
 * must match a trusted re-render with the task's seeds. A forger of a fraction f of the pixels
 * escapes with probability about (1-f)^k when no mismatch is tolerated.
 */
public final class SpotCheck {
    private final TileRenderer renderer;
    private final int samples;
    private final int toleratedMismatches;
    private final PixelComparison comparison;
    private final Random random;

    public SpotCheck(TileRenderer renderer, int samples, int toleratedMismatches, PixelComparison comparison, Random random) {
        if (samples < 1) {
            throw new IllegalArgumentException("at least one pixel must be checked");
        }
        this.renderer = renderer;
        this.samples = samples;
        this.toleratedMismatches = toleratedMismatches;
        this.comparison = comparison;
        this.random = random;
    }

    public static SpotCheck standard(TileRenderer renderer, int samples, int toleratedMismatches) {
        return new SpotCheck(renderer, samples, toleratedMismatches, PixelComparison.DEFAULT, new SecureRandom());
    }

    public TileVerdict judge(TileResult result, byte[] uploaded, Scene scene) {
        TileTask task = result.task();
        if (!Digests.sha256Hex(uploaded).equals(result.tileSha256())) {
            return TileVerdict.fail(result, "uploaded tile does not match the digest the worker reported", 0, 0);
        }
        TileImage tile;
        try {
            tile = TileImage.decode(uploaded);
        } catch (IllegalArgumentException e) {
            return TileVerdict.fail(result, "uploaded tile is unreadable: " + e.getMessage(), 0, 0);
        }
        TileRect rect = task.rect();
        if (tile.width() != rect.width() || tile.height() != rect.height()) {
            return TileVerdict.fail(result, "tile is " + tile.width() + "x" + tile.height() + ", the task asked for "
                    + rect.width() + "x" + rect.height(), 0, 0);
        }
        int k = Math.min(samples, rect.pixelCount());
        int[] xy = new int[k * 2];
        int[] local = new int[k];
        for (int i = 0; i < k; i++) {
            int p = random.nextInt(rect.pixelCount());
            local[i] = p;
            xy[i * 2] = rect.x() + p % rect.width();
            xy[i * 2 + 1] = rect.y() + p / rect.width();
        }
        FrameRequest request = new FrameRequest(task.imageWidth(), task.imageHeight(), task.frame(), task.spp(),
                task.maxBounces(), task.seed());
        float[] expected = renderer.renderPixels(scene, task.sceneDigest(), request, xy);
        int mismatched = 0;
        for (int i = 0; i < k; i++) {
            if (!comparison.matches(expected, i * 3, tile.rgb(), local[i] * 3)) {
                mismatched++;
            }
        }
        return mismatched <= toleratedMismatches
                ? TileVerdict.pass(result, k, mismatched)
                : TileVerdict.fail(result, mismatched + " of " + k + " sampled pixels differ from the re-render", k, mismatched);
    }
}
