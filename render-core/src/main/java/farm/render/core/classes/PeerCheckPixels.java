package farm.render.core.classes;

import farm.render.core.image.PixelComparison;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.SampledPixel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The pixels of one peer check and what the coordinator holds for each, in an order that does not say which is which:
 * <ul>
 *   <li>pixels of the checked tile, drawn after the result exists, with the worker's values ({@code expected}), which the
 *       peer must match bit for bit;</li>
 *   <li>of those, pixels the trusted verifier also rendered for the same tile ({@code reference}, NaN elsewhere), which
 *       the peer must match within {@link PixelComparison}'s tolerance (its arithmetic may differ from the verifier's);</li>
 *   <li>known answers from other tiles of the frame, pixels two workers of the class agreed on ({@code known}), which the
 *       peer must match bit for bit and cannot copy from the tile's worker.</li>
 * </ul>
 * One home for the rule that judges a peer's report: the coordinator and {@code ./farm bench verify} both use it.
 *
 * @param xy        image coordinates, x then y per pixel
 * @param expected  linear RGB per pixel: the worker's value, or the agreed known answer
 * @param known     per pixel: an agreed known answer from another tile rather than a pixel of the checked tile
 * @param reference linear RGB per pixel: the trusted verifier's value of the same pixel, NaN where it rendered none
 */
public record PeerCheckPixels(int[] xy, float[] expected, boolean[] known, float[] reference) {
    public PeerCheckPixels {
        int n = xy.length / 2;
        if (xy.length != n * 2 || expected.length != n * 3 || known.length != n || reference.length != n * 3) {
            throw new IllegalArgumentException("peer check arrays disagree on the pixel count");
        }
    }

    public int size() {
        return known.length;
    }

    /** {@code k} pixels of the tile drawn uniformly, with the worker's values; no known answers yet. */
    public static PeerCheckPixels ofTile(TileRect rect, float[] tileRgb, int k, Random random) {
        int[] xy = new int[k * 2];
        float[] expected = new float[k * 3];
        for (int i = 0; i < k; i++) {
            int p = random.nextInt(rect.pixelCount());
            xy[2 * i] = rect.x() + p % rect.width();
            xy[2 * i + 1] = rect.y() + p / rect.width();
            System.arraycopy(tileRgb, p * 3, expected, i * 3, 3);
        }
        float[] reference = new float[k * 3];
        Arrays.fill(reference, Float.NaN);
        return new PeerCheckPixels(xy, expected, new boolean[k], reference);
    }

    /**
     * These pixels with known answers added and everything shuffled: up to {@code m} of the verifier's sampled pixels of the
     * same tile that matched (its value as reference, the worker's as expected) and up to {@code m} agreed pixels of other
     * tiles ({x, y, r, g, b} each; those drawn are removed from the list). The sample's pixels outside the verifier's
     * tolerance join as pixels of the tile: the peer must give the worker's bits there.
     */
    public PeerCheckPixels withKnownAnswers(List<SampledPixel> verifierSample, List<float[]> agreed, int m, Random random) {
        List<SampledPixel> sample = new ArrayList<>(verifierSample.stream().filter(SampledPixel::matched).toList());
        List<SampledPixel> outliers = verifierSample.stream().filter(p -> !p.matched()).toList();
        int fromSample = Math.min(m, sample.size());
        int fromAgreed = Math.min(m, agreed.size());
        int n = size() + outliers.size() + fromSample + fromAgreed;
        int[] xy2 = Arrays.copyOf(xy, n * 2);
        float[] expected2 = Arrays.copyOf(expected, n * 3);
        boolean[] known2 = Arrays.copyOf(known, n);
        float[] reference2 = Arrays.copyOf(reference, n * 3);
        Arrays.fill(reference2, size() * 3, n * 3, Float.NaN); // the verifier's pixels below set theirs
        int i = size();
        for (SampledPixel p : outliers) { // outside the verifier's tolerance: the peer must match the worker's bits there
            xy2[2 * i] = p.x();
            xy2[2 * i + 1] = p.y();
            System.arraycopy(p.got(), 0, expected2, i * 3, 3);
            i++;
        }
        for (int s = 0; s < fromSample; s++, i++) {
            SampledPixel p = sample.remove(random.nextInt(sample.size()));
            xy2[2 * i] = p.x();
            xy2[2 * i + 1] = p.y();
            System.arraycopy(p.got(), 0, expected2, i * 3, 3);
            System.arraycopy(p.expected(), 0, reference2, i * 3, 3);
        }
        for (int a = 0; a < fromAgreed; a++, i++) {
            float[] p = agreed.remove(random.nextInt(agreed.size()));
            xy2[2 * i] = (int) p[0];
            xy2[2 * i + 1] = (int) p[1];
            System.arraycopy(p, 2, expected2, i * 3, 3);
            known2[i] = true;
        }
        PeerCheckPixels out = new PeerCheckPixels(xy2, expected2, known2, reference2);
        for (int j = n - 1; j > 0; j--) {
            out.swap(j, random.nextInt(j + 1));
        }
        return out;
    }

    /**
     * What a peer's report says. {@code wrongKnown}: known answers the peer missed (an agreed pixel not bit-equal, or a pixel
     * outside the tolerance of the verifier's value): it reported pixels it did not render. {@code mismatches}: pixels of the
     * tile where the peer and the worker differ in any bit. {@code evidence}: every pixel of the tile, the peer's re-render
     * as {@code expected} and the worker's value as {@code got}, as in the verifier's verdicts.
     */
    public record Judgement(int wrongKnown, int mismatches, List<SampledPixel> evidence) {
        /** The peer answered every known pixel and agrees with the worker bit for bit. */
        public boolean agreed() {
            return wrongKnown == 0 && mismatches == 0;
        }

        /** The peer answered every known pixel but disagrees with the worker: a referee decides. */
        public boolean disputed() {
            return wrongKnown == 0 && mismatches > 0;
        }
    }

    /** Judges {@code got} (three floats per pixel, in this order); {@code tolerance} applies to the verifier's pixels. */
    public Judgement judge(float[] got, PixelComparison tolerance) {
        if (got.length != expected.length) {
            throw new IllegalArgumentException(size() + " pixels need " + expected.length + " floats, got " + got.length);
        }
        int wrongKnown = 0;
        int mismatches = 0;
        List<SampledPixel> evidence = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            boolean same = sameBits(got, expected, i);
            if (known[i]) {
                wrongKnown += same ? 0 : 1;
                continue;
            }
            if (!Float.isNaN(reference[i * 3]) && !tolerance.matches(got, i * 3, reference, i * 3)) {
                wrongKnown++;
            }
            mismatches += same ? 0 : 1;
            evidence.add(new SampledPixel(xy[2 * i], xy[2 * i + 1], Arrays.copyOfRange(got, i * 3, i * 3 + 3),
                    Arrays.copyOfRange(expected, i * 3, i * 3 + 3), same)); // the peer's re-render, then the worker's value
        }
        return new Judgement(wrongKnown, mismatches, evidence);
    }

    /** Whether two reports (three floats per pixel, in this order) agree bit for bit on every pixel of the tile. */
    public boolean sameOnTile(float[] a, float[] b) {
        for (int i = 0; i < size(); i++) {
            if (!known[i] && !sameBits(a, b, i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameBits(float[] a, float[] b, int i) {
        for (int c = 0; c < 3; c++) {
            if (Float.floatToIntBits(a[i * 3 + c]) != Float.floatToIntBits(b[i * 3 + c])) {
                return false;
            }
        }
        return true;
    }

    private void swap(int i, int j) {
        for (int c = 0; c < 2; c++) {
            int v = xy[2 * i + c];
            xy[2 * i + c] = xy[2 * j + c];
            xy[2 * j + c] = v;
        }
        for (int c = 0; c < 3; c++) {
            float f = expected[i * 3 + c];
            expected[i * 3 + c] = expected[j * 3 + c];
            expected[j * 3 + c] = f;
            f = reference[i * 3 + c];
            reference[i * 3 + c] = reference[j * 3 + c];
            reference[j * 3 + c] = f;
        }
        boolean b = known[i];
        known[i] = known[j];
        known[j] = b;
    }
}
