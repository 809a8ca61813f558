package farm.render.worker.classes;

import farm.render.core.classes.ProbeTile;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.TileRenderer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders probe tiles ({@link ProbeTile}) and answers their digests: the same code on a worker, which reports them to
 * show its numerical class, and on the trusted verifier, whose digests are the reference they are compared with.
 */
public final class ProbeRenderer {
    private final TileRenderer renderer;
    private final Path samples;
    private final Map<String, Scene> scenes = new HashMap<>();

    /** {@code samples}: the farm's sample folder, which holds {@code NAME/NAME.gltf} for each probe sample. */
    public ProbeRenderer(TileRenderer renderer, Path samples) {
        this.renderer = renderer;
        this.samples = samples;
    }

    /** The samples folder under FARM_ROOT (set by ./farm), else under the working directory or its parent. */
    public static Path samplesFolder() {
        String root = System.getenv("FARM_ROOT");
        for (Path candidate : root == null ? List.of(Path.of("samples"), Path.of("..", "samples"))
                : List.of(Path.of(root, "samples"), Path.of("samples"), Path.of("..", "samples"))) {
            if (Files.isDirectory(candidate.resolve(ProbeTile.SAMPLES.get(0)))) {
                return candidate;
            }
        }
        return Path.of("samples");
    }

    /** The digest of each of the first {@code count} probe tiles, in probe order. */
    public List<String> digests(int count) throws IOException, InvalidSceneException {
        List<String> digests = new ArrayList<>(count);
        for (ProbeTile probe : ProbeTile.first(count)) {
            digests.add(digest(probe));
        }
        return digests;
    }

    public String digest(ProbeTile probe) throws IOException, InvalidSceneException {
        Scene scene = scene(probe.sample());
        FrameRequest request = new FrameRequest(probe.imageWidth(), probe.imageHeight(), probe.frame(), probe.spp(),
                probe.maxBounces(), probe.seed());
        return ProbeTile.digest(renderer.renderTile(scene, "probe:" + probe.sample(), request, probe.rect()).rgb());
    }

    private Scene scene(String sample) throws IOException, InvalidSceneException {
        Scene scene = scenes.get(sample);
        if (scene == null) {
            Path file = samples.resolve(sample).resolve(sample + ".gltf");
            scene = SceneImporter.importScene(Files.readAllBytes(file), "gltf").posed(0);
            scenes.put(sample, scene);
        }
        return scene;
    }
}
