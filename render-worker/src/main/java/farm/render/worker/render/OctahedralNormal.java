package farm.render.worker.render;

/**
 * A unit vector in one 32-bit word: its octahedral projection (Meyer et al. 2010, "On floating-point normal vectors")
 * as two signed 16-bit integers in [-{@link #SCALE}, {@link #SCALE}], x in the low half. The device decodes it with
 * integer-valued float arithmetic, exact everywhere, then the repro normalisation, so every device gets the same
 * vector; the encoder picks, of the four roundings of the projection, the one whose decoding is closest in angle.
 */
final class OctahedralNormal {
    static final int SCALE = 32767;
    /** x = -32768, outside the encoding's range: the zero vector (a corner without a usable normal). */
    static final int ZERO = 0x8000;

    private OctahedralNormal() {
    }

    static int encode(float x, float y, float z) {
        double l1 = Math.abs((double) x) + Math.abs((double) y) + Math.abs((double) z);
        if (!(l1 > 0) || !Double.isFinite(l1)) {
            return ZERO;
        }
        double px = x / l1;
        double py = y / l1;
        if (z < 0) {
            double fx = (1 - Math.abs(py)) * signNotZero(px);
            double fy = (1 - Math.abs(px)) * signNotZero(py);
            px = fx;
            py = fy;
        }
        int bx = (int) Math.floor(px * SCALE);
        int by = (int) Math.floor(py * SCALE);
        double length = Math.sqrt((double) x * x + (double) y * y + (double) z * z);
        int best = 0;
        double bestCos = Double.NEGATIVE_INFINITY;
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                int qx = Math.max(-SCALE, Math.min(SCALE, bx + dx));
                int qy = Math.max(-SCALE, Math.min(SCALE, by + dy));
                double[] d = decode(qx, qy);
                double cos = (d[0] * x + d[1] * y + d[2] * z) / (length * Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
                if (cos > bestCos) {
                    bestCos = cos;
                    best = (qx & 0xffff) | qy << 16;
                }
            }
        }
        return best;
    }

    /** The unnormalised direction of (qx, qy) as scene.glsl's octahedralNormal computes it before normalising. */
    static double[] decode(int qx, int qy) {
        double x = qx;
        double y = qy;
        double z = SCALE - Math.abs(x) - Math.abs(y);
        if (z < 0) {
            x = (SCALE - Math.abs((double) qy)) * (qx >= 0 ? 1 : -1);
            y = (SCALE - Math.abs((double) qx)) * (qy >= 0 ? 1 : -1);
        }
        return new double[] {x, y, z};
    }

    private static double signNotZero(double v) {
        return v >= 0 ? 1 : -1;
    }
}
