package farm.render.worker.cli;

import farm.render.core.image.TileImage;

/**
 * How linear radiance becomes a display image before the sRGB curve: as is ("standard") or a filmic curve;
 * {@code --view} takes either name, in any case.
 */
public enum DisplayView {
    STANDARD,
    FILMIC;

    /** Linear display values in [0, 1] for {@link farm.render.core.image.Png#encodeSrgb}. */
    public TileImage apply(TileImage linear) {
        if (this == STANDARD) {
            return linear;
        }
        float[] in = linear.rgb();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = filmic(in[i]);
        }
        return new TileImage(linear.width(), linear.height(), out);
    }

    /** Narkowicz 2015, "ACES Filmic Tone Mapping Curve": x(2.51x + 0.03) / (x(2.43x + 0.59) + 0.14), exposure 0.6. */
    static float filmic(float v) {
        float x = Float.isNaN(v) ? 0 : Math.max(0, v) * 0.6f;
        return Math.min(1f, x * (2.51f * x + 0.03f) / (x * (2.43f * x + 0.59f) + 0.14f));
    }
}
