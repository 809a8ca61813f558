package farm.render.core.preview;

import farm.render.core.image.Png;
import farm.render.core.image.TileImage;
import farm.render.core.scene.Camera;
import farm.render.core.scene.Instances;
import farm.render.core.scene.Material;
import farm.render.core.scene.Rgb;
import farm.render.core.scene.Scene;
import org.joml.Vector3f;
import org.joml.Vector3fc;

/**
 * A quick look at a scene without the path tracer: a z-buffered software rasterizer through the scene's
 * own camera, flat Lambert shading from a light at the eye on each material's base colour, emissive
 * surfaces at their emission. Textures, reflections and shadows are left out; it is a thumbnail, not a render.
 */
public final class Thumbnail {
    /** Light that reaches a surface facing away from the eye, so back walls are not black. */
    private static final float AMBIENT = 0.15f;
    /** Instanced triangles drawn at most; past it every instance draws an even share of its mesh's triangles. */
    static final long INSTANCED_BUDGET = 4_000_000;

    private Thumbnail() {
    }

    /** The scene at its first frame as a {@code width}×{@code height} sRGB PNG. */
    public static byte[] png(Scene scene, int width, int height) {
        return Png.encodeSrgb(render(scene, width, height));
    }

    /** Linear RGB; pixels no triangle covers show the scene's environment colour. */
    public static TileImage render(Scene scene, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a thumbnail needs a positive size, not " + width + "x" + height);
        }
        Scene posed = scene.animation().isAnimated() ? scene.posed(scene.animation().firstFrame()) : scene;
        Camera camera = posed.camera();
        View view = new View(camera, width, height, nearPlane(posed));
        float[] rgb = new float[width * height * 3];
        Rgb background = posed.environment();
        for (int i = 0; i < width * height; i++) {
            rgb[i * 3] = background.r();
            rgb[i * 3 + 1] = background.g();
            rgb[i * 3 + 2] = background.b();
        }
        float[] inverseDepth = new float[width * height]; // 1/z: larger is nearer, 0 is "nothing drawn"
        float[] camPoints = new float[9];
        for (int t = 0; t < posed.flatTriangleCount(); t++) {
            draw(posed, t, posed.vertex(t, 0), posed.vertex(t, 1), posed.vertex(t, 2), view, camPoints, rgb, inverseDepth);
        }
        Instances instances = posed.instances();
        long stride = Math.max(1, (instances.placedTriangles() + INSTANCED_BUDGET - 1) / INSTANCED_BUDGET);
        Vector3f[] corners = {new Vector3f(), new Vector3f(), new Vector3f()};
        for (int i = 0; i < instances.count(); i++) {
            float[] m = instances.transforms();
            int at = i * 12;
            Instances.Mesh mesh = instances.meshes().get(instances.meshOf()[i]);
            for (int t = mesh.firstTriangle(); t < mesh.firstTriangle() + mesh.triangleCount(); t += (int) stride) {
                for (int c = 0; c < 3; c++) {
                    Vector3f v = posed.vertex(t, c);
                    corners[c].set(m[at] * v.x + m[at + 1] * v.y + m[at + 2] * v.z + m[at + 3],
                            m[at + 4] * v.x + m[at + 5] * v.y + m[at + 6] * v.z + m[at + 7],
                            m[at + 8] * v.x + m[at + 9] * v.y + m[at + 10] * v.z + m[at + 11]);
                }
                draw(posed, t, corners[0], corners[1], corners[2], view, camPoints, rgb, inverseDepth);
            }
        }
        return new TileImage(width, height, rgb);
    }

    /** Rasterizes triangle {@code t} of the scene with corners a, b, c (world space). */
    private static void draw(Scene scene, int t, Vector3f a, Vector3f b, Vector3f c, View view, float[] camPoints,
                             float[] rgb, float[] inverseDepth) {
        Rgb colour = shade(scene.materials().get(scene.materialIds()[t]), a, b, c, scene.camera().position());
        view.toCamera(a, camPoints, 0);
        view.toCamera(b, camPoints, 3);
        view.toCamera(c, camPoints, 6);
        float[] polygon = view.clipNear(camPoints);
        for (int k = 1; k + 1 < polygon.length / 3; k++) { // fan over the clipped polygon
            view.fill(polygon, 0, k * 3, (k + 1) * 3, colour, rgb, inverseDepth);
        }
    }

    /** Lambert with the light at the eye (two-sided), plus the material's own emission. */
    static Rgb shade(Material m, Vector3fc a, Vector3fc b, Vector3fc c, Vector3fc eye) {
        Vector3f normal = b.sub(a, new Vector3f()).cross(c.sub(a, new Vector3f()));
        Vector3f centre = a.add(b, new Vector3f()).add(c).mul(1f / 3);
        Vector3f toEye = eye.sub(centre, new Vector3f());
        float nl = normal.length() * toEye.length();
        float cos = nl > 0 ? Math.abs(normal.dot(toEye)) / nl : 0;
        float k = AMBIENT + (1 - AMBIENT) * cos;
        Rgb base = m.baseColor();
        Rgb e = m.emission();
        return new Rgb(base.r() * k + e.r(), base.g() * k + e.g(), base.b() * k + e.b());
    }

    /** A near plane a small fraction of the scene's size, so nothing in view is cut away. */
    private static float nearPlane(Scene scene) {
        float[] p = scene.positions();
        float extent = 0;
        for (int i = 0; i < scene.flatTriangleCount() * 9; i++) {
            extent = Math.max(extent, Math.abs(p[i]));
        }
        for (int i = 0; i < scene.instances().count(); i++) {
            for (float f : scene.instances().worldBox(i)) {
                extent = Math.max(extent, Math.abs(f));
            }
        }
        return Math.max(1e-6f, extent * 1e-5f);
    }

    /** The pinhole camera as a projection onto the image, with the image's aspect. */
    private static final class View {
        private final Vector3fc eye;
        private final Vector3fc right;
        private final Vector3fc up;
        private final Vector3fc forward;
        private final int width;
        private final int height;
        private final float focalX;
        private final float focalY;
        private final float near;

        View(Camera camera, int width, int height, float near) {
            this.eye = camera.position();
            this.forward = camera.forward();
            this.up = camera.up();
            this.right = camera.right();
            this.width = width;
            this.height = height;
            float tanHalf = (float) Math.tan(camera.verticalFovRadians() / 2);
            float aspect = (float) width / height;
            this.focalY = 1 / tanHalf;
            this.focalX = 1 / (tanHalf * aspect);
            this.near = near;
        }

        void toCamera(Vector3fc p, float[] out, int o) {
            Vector3f d = p.sub(eye, new Vector3f());
            out[o] = d.dot(right);
            out[o + 1] = d.dot(up);
            out[o + 2] = d.dot(forward);
        }

        /** The triangle cut to the part in front of the near plane (Sutherland–Hodgman against one plane). */
        float[] clipNear(float[] tri) {
            float[] out = new float[12];
            int n = 0;
            for (int i = 0; i < 3; i++) {
                int j = (i + 1) % 3;
                float zi = tri[i * 3 + 2];
                float zj = tri[j * 3 + 2];
                boolean inI = zi >= near;
                boolean inJ = zj >= near;
                if (inI) {
                    System.arraycopy(tri, i * 3, out, n, 3);
                    n += 3;
                }
                if (inI != inJ) {
                    float s = (near - zi) / (zj - zi);
                    for (int c = 0; c < 3; c++) {
                        out[n + c] = tri[i * 3 + c] + s * (tri[j * 3 + c] - tri[i * 3 + c]);
                    }
                    out[n + 2] = near;
                    n += 3;
                }
            }
            return java.util.Arrays.copyOf(out, n);
        }

        /** Draws one camera-space triangle (vertices at offsets i, j, k of {@code p}) where it is nearest. */
        void fill(float[] p, int i, int j, int k, Rgb colour, float[] rgb, float[] inverseDepth) {
            float x0 = sx(p, i), y0 = sy(p, i), w0 = 1 / p[i + 2];
            float x1 = sx(p, j), y1 = sy(p, j), w1 = 1 / p[j + 2];
            float x2 = sx(p, k), y2 = sy(p, k), w2 = 1 / p[k + 2];
            float area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
            if (area == 0 || !Float.isFinite(area)) {
                return;
            }
            int minX = Math.max(0, (int) Math.floor(Math.min(x0, Math.min(x1, x2))));
            int maxX = Math.min(width - 1, (int) Math.ceil(Math.max(x0, Math.max(x1, x2))));
            int minY = Math.max(0, (int) Math.floor(Math.min(y0, Math.min(y1, y2))));
            int maxY = Math.min(height - 1, (int) Math.ceil(Math.max(y0, Math.max(y1, y2))));
            for (int y = minY; y <= maxY; y++) {
                float py = y + 0.5f;
                for (int x = minX; x <= maxX; x++) {
                    float px = x + 0.5f;
                    // barycentric weights from edge functions, sign-normalised by the area
                    float b0 = ((x1 - px) * (y2 - py) - (x2 - px) * (y1 - py)) / area;
                    float b1 = ((x2 - px) * (y0 - py) - (x0 - px) * (y2 - py)) / area;
                    float b2 = 1 - b0 - b1;
                    if (b0 < 0 || b1 < 0 || b2 < 0) {
                        continue;
                    }
                    float w = b0 * w0 + b1 * w1 + b2 * w2; // 1/z is linear in screen space
                    int at = y * width + x;
                    if (w > inverseDepth[at]) {
                        inverseDepth[at] = w;
                        rgb[at * 3] = colour.r();
                        rgb[at * 3 + 1] = colour.g();
                        rgb[at * 3 + 2] = colour.b();
                    }
                }
            }
        }

        private float sx(float[] p, int o) {
            return (1 + p[o] * focalX / p[o + 2]) * 0.5f * width;
        }

        private float sy(float[] p, int o) {
            return (1 - p[o + 1] * focalY / p[o + 2]) * 0.5f * height;
        }
    }
}
