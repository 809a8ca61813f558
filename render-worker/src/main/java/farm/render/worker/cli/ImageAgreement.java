package farm.render.worker.cli;

import farm.render.core.image.PixelComparison;
import farm.render.core.image.TileImage;

/**
 * How far two renders of one image agree: pixels whose three channels are bit-identical, the largest
 * difference of any channel, and pixels the verifier's rule would reject.
 */
record ImageAgreement(int pixels, int identical, int ruleFailures, double maxAbsDiff) {

    /** Compares {@code b} with {@code a} pixel by pixel; both must have the same size. */
    static ImageAgreement of(TileImage a, TileImage b, PixelComparison rule) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("images of different sizes: " + a.width() + "x" + a.height() + " and "
                    + b.width() + "x" + b.height());
        }
        float[] x = a.rgb();
        float[] y = b.rgb();
        int pixels = a.width() * a.height();
        int identical = 0;
        int failures = 0;
        double max = 0;
        for (int p = 0; p < pixels; p++) {
            int o = p * 3;
            boolean same = true;
            for (int c = 0; c < 3; c++) {
                if (Float.floatToRawIntBits(x[o + c]) != Float.floatToRawIntBits(y[o + c])) {
                    same = false;
                    double d = Math.abs((double) x[o + c] - y[o + c]);
                    // a NaN or infinity on one side only is as far apart as values get
                    max = Math.max(max, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
                }
            }
            if (same) {
                identical++;
            }
            if (!rule.matches(x, o, y, o)) {
                failures++;
            }
        }
        return new ImageAgreement(pixels, identical, failures, max);
    }

    double identicalPercent() {
        return pixels == 0 ? 100 : 100.0 * identical / pixels;
    }

    double ruleFailPercent() {
        return pixels == 0 ? 0 : 100.0 * ruleFailures / pixels;
    }
}
