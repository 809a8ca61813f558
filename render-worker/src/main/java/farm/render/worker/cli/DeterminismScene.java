package farm.render.worker.cli;

import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.core.scene.testing.ForestGlb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One scene of the determinism benchmark as a child process is told it in one word: a scene file and the frame to
 * pose, the generated sphere grid ({@link BenchScenes#sphereGrid}) of at least some number of triangles, or a
 * generated forest of instances ({@link ForestGlb}).
 */
record DeterminismScene(String name, String source, int frame) {
    private static final String GRID = "sphere-grid:";
    private static final String FOREST = "forest:";

    static DeterminismScene file(String name, Path file, int frame) {
        return new DeterminismScene(name, file.toAbsolutePath().toString(), frame);
    }

    static DeterminismScene sphereGrid(String name, int triangles) {
        return new DeterminismScene(name, GRID + triangles, 0);
    }

    /** {@code trees} instances of one tree mesh of about {@code treeTriangles} triangles. */
    static DeterminismScene forest(String name, int trees, int treeTriangles) {
        return new DeterminismScene(name, FOREST + trees + ":" + treeTriangles, 0);
    }

    /** The word a child process reads back with {@link #parse}. */
    String word() {
        return name + "|" + frame + "|" + source;
    }

    static DeterminismScene parse(String word) {
        String[] parts = word.split("\\|", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a scene word: " + word);
        }
        return new DeterminismScene(parts[0], parts[2], Integer.parseInt(parts[1]));
    }

    /** The scene posed at its frame, with the key the renderer caches its buffers under. */
    Loaded load() throws IOException, InvalidSceneException {
        if (source.startsWith(GRID)) {
            return new Loaded(BenchScenes.sphereGrid(Integer.parseInt(source.substring(GRID.length()))), name);
        }
        if (source.startsWith(FOREST)) {
            String[] size = source.substring(FOREST.length()).split(":");
            Path glb = Files.createTempFile("determinism-forest-", ".glb");
            try {
                ForestGlb.write(glb, Long.parseLong(size[1]), Integer.parseInt(size[0]));
                return new Loaded(SceneImporter.importScene(Files.readAllBytes(glb), "glb"), name);
            } finally {
                Files.deleteIfExists(glb);
            }
        }
        Path path = Path.of(source);
        String file = path.getFileName().toString();
        Scene scene = SceneImporter.importScene(Files.readAllBytes(path), file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        return new Loaded(scene.posed(frame), scene.geometryKey(source, frame));
    }

    record Loaded(Scene scene, String key) {
    }
}
