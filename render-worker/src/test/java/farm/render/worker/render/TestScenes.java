package farm.render.worker.render;

import farm.render.core.scene.Camera;
import farm.render.core.scene.Material;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Scene;
import java.util.ArrayList;
import java.util.List;
import org.joml.Vector3f;

/** Small scenes built in code: a unit box seen from inside, looking up at its ceiling. */
final class TestScenes {
    private TestScenes() {
    }

    /** Camera at (0.5, 0.3, 0.5) looking straight up (+Y), 60° vertical field of view. */
    static Camera lookingUp() {
        return new Camera(new Vector3f(0.5f, 0.3f, 0.5f), new Vector3f(0, 1, 0), new Vector3f(0, 0, -1), (float) Math.toRadians(60));
    }

    /** Closed unit box, grey walls (material 0), a 0.3 m square ceiling light (material 1) in the middle. */
    static Scene boxWithCeilingLight(float emission) {
        Builder b = new Builder();
        b.box(0);
        float lo = 0.35f;
        float hi = 0.65f;
        float y = 0.999f;
        b.quad(new Vector3f(lo, y, lo), new Vector3f(hi, y, lo), new Vector3f(hi, y, hi), new Vector3f(lo, y, hi), new Vector3f(0, -1, 0), 1);
        return new Scene(lookingUp(), List.of(
                new Material("wall", new Rgb(0.7f, 0.7f, 0.7f), Rgb.BLACK),
                new Material("light", new Rgb(0.5f, 0.5f, 0.5f), new Rgb(emission, emission, emission))),
                b.positions(), b.ids(), List.of());
    }

    /** The same box with no emitter at all. */
    static Scene darkBox() {
        Builder b = new Builder();
        b.box(0);
        return new Scene(lookingUp(), List.of(new Material("wall", new Rgb(0.7f, 0.7f, 0.7f), Rgb.BLACK)),
                b.positions(), b.ids(), List.of());
    }

    /** Every wall emits radiance 1 inwards and reflects albedo a: radiance = sum of a^k, k = 0..bounces. */
    static Scene glowingBox(float albedo) {
        Builder b = new Builder();
        b.box(0);
        return new Scene(lookingUp(), List.of(new Material("glow", new Rgb(albedo, albedo, albedo), new Rgb(1, 1, 1))),
                b.positions(), b.ids(), List.of());
    }

    static final class Builder {
        private final List<Float> positions = new ArrayList<>();
        private final List<Integer> ids = new ArrayList<>();

        /** Unit cube [0,1]^3 with every face's normal pointing inwards. */
        void box(int material) {
            Vector3f[] c = new Vector3f[8];
            for (int i = 0; i < 8; i++) {
                c[i] = new Vector3f(i & 1, (i >> 1) & 1, (i >> 2) & 1);
            }
            quad(c[0], c[1], c[5], c[4], new Vector3f(0, 1, 0), material);   // floor y=0
            quad(c[2], c[3], c[7], c[6], new Vector3f(0, -1, 0), material);  // ceiling y=1
            quad(c[0], c[2], c[6], c[4], new Vector3f(1, 0, 0), material);   // x=0
            quad(c[1], c[3], c[7], c[5], new Vector3f(-1, 0, 0), material);  // x=1
            quad(c[0], c[1], c[3], c[2], new Vector3f(0, 0, 1), material);   // z=0
            quad(c[4], c[5], c[7], c[6], new Vector3f(0, 0, -1), material);  // z=1
        }

        /** Quad a-b-c-d (in order around its edge) as two triangles wound so their normal faces {@code facing}. */
        void quad(Vector3f a, Vector3f b, Vector3f c, Vector3f d, Vector3f facing, int material) {
            triangle(a, b, c, facing, material);
            triangle(a, c, d, facing, material);
        }

        void triangle(Vector3f a, Vector3f b, Vector3f c, Vector3f facing, int material) {
            boolean flip = b.sub(a, new Vector3f()).cross(c.sub(a, new Vector3f())).dot(facing) < 0;
            for (Vector3f v : flip ? new Vector3f[] {a, c, b} : new Vector3f[] {a, b, c}) {
                positions.add(v.x());
                positions.add(v.y());
                positions.add(v.z());
            }
            ids.add(material);
        }

        float[] positions() {
            float[] p = new float[positions.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = positions.get(i);
            }
            return p;
        }

        int[] ids() {
            return ids.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
