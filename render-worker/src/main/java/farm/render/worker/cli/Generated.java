package farm.render.worker.cli;

import farm.render.core.scene.testing.ForestGlb;
import farm.render.core.scene.testing.SphereFieldGlb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** A scene {@code bench scenes} generated: its GLB file, its triangles as a renderer sees them, and what it is. */
record Generated(Path file, long triangles, String description) {

    /** A scene to generate: ten spheres of about {@code triangles}, or {@code instances} trees of {@code triangles} each. */
    record Plan(String label, long triangles, int instances) {
        static Plan spheres(String label, long triangles) {
            return new Plan(label, triangles, 0);
        }

        static Plan forest(int instances, long treeTriangles) {
            return new Plan("forest", treeTriangles, instances);
        }

        Generated write(Path dir) throws IOException {
            Path file = dir.resolve(label + ".glb");
            if (instances == 0) {
                long written = SphereFieldGlb.write(file, triangles, true);
                return new Generated(file, written, "ten smooth spheres under a sun");
            }
            ForestGlb.Written written = ForestGlb.write(file, triangles, instances);
            return new Generated(file, written.sceneTriangles(), String.format(Locale.ROOT,
                    "%d nodes sharing one tree mesh of %d triangles", instances, written.treeTriangles()));
        }
    }

    /** {@code 10k}, {@code 1.5m}, {@code 250000}: a count of triangles. */
    static long count(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
        double scale = t.endsWith("k") ? 1e3 : t.endsWith("m") ? 1e6 : 1;
        String number = scale == 1 ? t : t.substring(0, t.length() - 1);
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a triangle count such as 10k, 1m or 250000");
        }
        if (!(value * scale >= 1) || value * scale > 2e9) {
            throw new IllegalArgumentException("a scene needs from 1 to 2000m triangles, got '" + text + "'");
        }
        return Math.round(value * scale);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
