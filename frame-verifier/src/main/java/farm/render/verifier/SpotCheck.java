package farm.render.verifier;

import farm.render.core.digest.Digests;
import farm.render.core.image.PixelComparison;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.PosedFrames;
import farm.render.core.scene.Scene;
import farm.render.core.wire.SampledPixel;
import farm.render.core.wire.TileResult;
import farm.render.core.wire.TileTask;
import farm.render.core.wire.TileVerdict;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.TileRenderer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Judges one result's pixels: the uploaded bytes must be the ones the worker claimed, decode to a tile
 * of the task's size, and k pixels drawn with this verifier's own randomness, after the result
 * arrived, must match a trusted re-render with the task's seeds. A forger of a fraction f of the
 * pixels escapes with probability about (1-f)^k when no mismatch is tolerated. The verdict lists
 * every sampled pixel with the expected and received values. An animated scene is re-rendered as the
 * task's frame poses it, so a tile of another frame's pose fails.
 */
public final class SpotCheck {
    private final TileRenderer renderer;
    private final int toleratedMismatches;
    private final PixelComparison comparison;
    private final Random random;
    private final PosedFrames frames = new PosedFrames(16);

    public SpotCheck(TileRenderer renderer, int toleratedMismatches, PixelComparison comparison, Random random) {
        if (toleratedMismatches < 0) {
            throw new IllegalArgumentException("tolerated mismatches must not be negative");
        }
        this.renderer = renderer;
        this.toleratedMismatches = toleratedMismatches;
        this.comparison = comparison;
        this.random = random;
    }

    public static SpotCheck standard(TileRenderer renderer, int toleratedMismatches) {
        return new SpotCheck(renderer, toleratedMismatches, PixelComparison.DEFAULT, new SecureRandom());
    }

    /**
     * @param scene  the task's scene as compiled (rest pose); the task's frame is posed here
     * @param pixels k, the pixels to check (at most the tile's)
     */
    public TileVerdict judge(TileResult result, byte[] uploaded, Scene scene, int pixels) {
        if (pixels < 1) {
            throw new IllegalArgumentException("at least one pixel must be checked");
        }
        TileTask task = result.task();
        if (!Digests.sha256Hex(uploaded).equals(result.tileSha256())) {
            return TileVerdict.fail(result, "uploaded tile does not match the digest the worker reported");
        }
        TileImage tile;
        try {
            tile = TileImage.decode(uploaded);
        } catch (IllegalArgumentException e) {
            return TileVerdict.fail(result, "uploaded tile is unreadable: " + e.getMessage());
        }
        TileRect rect = task.rect();
        if (tile.width() != rect.width() || tile.height() != rect.height()) {
            return TileVerdict.fail(result, "tile is " + tile.width() + "x" + tile.height() + ", the task asked for "
                    + rect.width() + "x" + rect.height());
        }
        int k = Math.min(pixels, rect.pixelCount());
        int[] xy = new int[k * 2];
        int[] local = new int[k];
        for (int i = 0; i < k; i++) {
            int p = random.nextInt(rect.pixelCount());
            local[i] = p;
            xy[i * 2] = rect.x() + p % rect.width();
            xy[i * 2 + 1] = rect.y() + p / rect.width();
        }
        FrameRequest request = new FrameRequest(task.imageWidth(), task.imageHeight(), task.frame(), task.spp(),
                task.maxBounces(), task.seed(), task.clampIndirect());
        PosedFrames.Frame frame = frames.frame(task.sceneDigest(), scene, task.frame());
        float[] expected = renderer.renderPixels(frame.scene(), frame.geometryKey(), request, xy);
        float[] got = tile.rgb();
        List<SampledPixel> evidence = new ArrayList<>(k);
        int mismatched = 0;
        for (int i = 0; i < k; i++) {
            boolean match = comparison.matches(expected, i * 3, got, local[i] * 3);
            if (!match) {
                mismatched++;
            }
            evidence.add(new SampledPixel(xy[i * 2], xy[i * 2 + 1],
                    new float[]{expected[i * 3], expected[i * 3 + 1], expected[i * 3 + 2]},
                    new float[]{got[local[i] * 3], got[local[i] * 3 + 1], got[local[i] * 3 + 2]}, match));
        }
        return mismatched <= toleratedMismatches
                ? TileVerdict.pass(result, evidence)
                : TileVerdict.fail(result, mismatched + " of " + k + " sampled pixels differ from the re-render", evidence);
    }
}
