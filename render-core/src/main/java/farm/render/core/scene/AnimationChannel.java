package farm.render.core.scene;

import org.joml.Quaterniond;

/**
 * One animated property of one node: keyframe times in seconds and the values at them, sampled as
 * glTF 2.0 defines (specification, section 3.11 "Animations" and appendix C "Interpolation").
 *
 * @param node          the index of the animated node in {@link Animation#nodes()}
 * @param times         strictly increasing key times, seconds
 * @param values        {@code target.components()} floats per key; for {@link Interpolation#CUBICSPLINE}
 *                      three such groups per key: in-tangent, value, out-tangent
 */
public record AnimationChannel(int node, Target target, Interpolation interpolation, float[] times, float[] values) {
    /** The node property a channel drives. */
    public enum Target {
        TRANSLATION(3), ROTATION(4), SCALE(3);

        private final int components;

        Target(int components) {
            this.components = components;
        }

        public int components() {
            return components;
        }
    }

    public enum Interpolation { STEP, LINEAR, CUBICSPLINE }

    public AnimationChannel {
        if (times.length == 0) {
            throw new IllegalArgumentException("an animation channel needs at least one key");
        }
        int perKey = target.components() * (interpolation == Interpolation.CUBICSPLINE ? 3 : 1);
        if (values.length != times.length * perKey) {
            throw new IllegalArgumentException("an animation channel of " + times.length + " keys needs " + times.length * perKey
                    + " values, it has " + values.length);
        }
        for (int i = 0; i < times.length; i++) {
            if (!Float.isFinite(times[i]) || (i > 0 && times[i] <= times[i - 1])) {
                throw new IllegalArgumentException("animation key times must be finite and strictly increasing");
            }
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("animation values must be finite numbers");
            }
        }
    }

    public float firstTime() {
        return times[0];
    }

    public float lastTime() {
        return times[times.length - 1];
    }

    /** The property's value at {@code time}: the first key's before it, the last key's after it. Rotations come out unit length. */
    public double[] sample(double time) {
        int n = target.components();
        double[] out = new double[n];
        int keys = times.length;
        if (keys == 1 || time <= times[0]) {
            copyValue(0, out);
        } else if (time >= times[keys - 1]) {
            copyValue(keys - 1, out);
        } else {
            int k = segment(time);
            double t0 = times[k];
            double dt = times[k + 1] - t0;
            double s = (time - t0) / dt;
            switch (interpolation) {
                case STEP -> copyValue(k, out);
                case LINEAR -> {
                    double[] a = new double[n];
                    double[] b = new double[n];
                    copyValue(k, a);
                    copyValue(k + 1, b);
                    if (target == Target.ROTATION) {
                        slerp(a, b, s, out);
                    } else {
                        for (int c = 0; c < n; c++) {
                            out[c] = a[c] + (b[c] - a[c]) * s;
                        }
                    }
                }
                case CUBICSPLINE -> {
                    // Hermite basis, tangents scaled by the key interval (glTF 2.0, appendix C).
                    double s2 = s * s;
                    double s3 = s2 * s;
                    double h00 = 2 * s3 - 3 * s2 + 1;
                    double h10 = s3 - 2 * s2 + s;
                    double h01 = -2 * s3 + 3 * s2;
                    double h11 = s3 - s2;
                    int stride = 3 * n;
                    for (int c = 0; c < n; c++) {
                        double v0 = values[k * stride + n + c];
                        double b0 = values[k * stride + 2 * n + c];
                        double a1 = values[(k + 1) * stride + c];
                        double v1 = values[(k + 1) * stride + n + c];
                        out[c] = h00 * v0 + h10 * dt * b0 + h01 * v1 + h11 * dt * a1;
                    }
                }
            }
        }
        if (target == Target.ROTATION) {
            normalize(out);
        }
        return out;
    }

    /** The key k with times[k] <= time < times[k + 1]; time lies strictly inside the keys' span. */
    private int segment(double time) {
        int lo = 0;
        int hi = times.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= time) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void copyValue(int key, double[] out) {
        int n = out.length;
        int offset = interpolation == Interpolation.CUBICSPLINE ? key * 3 * n + n : key * n;
        for (int c = 0; c < n; c++) {
            out[c] = values[offset + c];
        }
    }

    /** Spherical linear interpolation along the shorter arc (Shoemake 1985); nearly equal quaternions fall back to a normalised lerp. */
    static void slerp(double[] a, double[] b, double s, double[] out) {
        Quaterniond from = quaternion(a);
        Quaterniond to = quaternion(b);
        Quaterniond q = Math.abs(from.dot(to)) > 0.9995 ? from.nlerp(to, s) : from.slerp(to, s);
        store(q, out);
    }

    /** The rotation scaled to unit length; a zero quaternion becomes the identity. */
    private static void normalize(double[] q) {
        Quaterniond r = quaternion(q);
        store(r.lengthSquared() > 0 ? r.normalize() : r.identity(), q);
    }

    private static Quaterniond quaternion(double[] xyzw) {
        return new Quaterniond(xyzw[0], xyzw[1], xyzw[2], xyzw[3]);
    }

    private static void store(Quaterniond q, double[] xyzw) {
        xyzw[0] = q.x;
        xyzw[1] = q.y;
        xyzw[2] = q.z;
        xyzw[3] = q.w;
    }
}
