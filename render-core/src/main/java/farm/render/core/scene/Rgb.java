package farm.render.core.scene;

/** A linear-light RGB triple. */
public record Rgb(float r, float g, float b) {
    public static final Rgb BLACK = new Rgb(0, 0, 0);

    public boolean isBlack() {
        return r <= 0 && g <= 0 && b <= 0;
    }

    public Rgb times(float s) {
        return new Rgb(r * s, g * s, b * s);
    }

    boolean isFinite() {
        return Float.isFinite(r) && Float.isFinite(g) && Float.isFinite(b);
    }
}
