package farm.render.worker.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a glTF with Debian's Blender and Cycles on the CPU in the background, as an artist would from the
 * command line: the whole {@code blender} command is timed (start, glTF import, render, PNG written). Settings
 * as in samples/scripts/cycles_compare.py: same resolution and samples, no adaptive sampling, no denoising,
 * box filter, black world, and Cycles' bounces one less than the farm's (the farm counts scattering events,
 * Cycles indirect ones); punctual lights keep their glTF intensity in W, as the farm's renderer reads it.
 */
final class CyclesRun {
    /** Where Debian installs Blender. */
    static final Path BLENDER = Path.of("/usr/bin/blender");

    private static final String SCRIPT = """
            import sys, time
            import bpy
            import numpy as np
            if not hasattr(np, "bool"):
                np.bool = bool  # Blender 3.4's glTF importer uses np.bool, which newer NumPy removed
            a = sys.argv[sys.argv.index("--") + 1:]
            width, height, spp, bounces = int(a[2]), int(a[3]), int(a[4]), max(0, int(a[5]) - 1)
            t0 = time.perf_counter()
            bpy.ops.wm.read_factory_settings(use_empty=True)
            # COMPAT: a sun's glTF intensity as W/m2, as the farm reads it; the default divides it by 683, under Cycles' light threshold
            bpy.ops.import_scene.gltf(filepath=a[0], convert_lighting_mode="COMPAT")
            t1 = time.perf_counter()
            s = bpy.context.scene
            s.camera = [o for o in s.objects if o.type == "CAMERA"][0]
            s.render.engine = "CYCLES"
            s.cycles.device = "CPU"
            s.cycles.samples = spp
            s.cycles.use_adaptive_sampling = False
            s.cycles.use_denoising = False
            s.cycles.seed = 1
            for name in ("max_bounces", "diffuse_bounces", "glossy_bounces", "transmission_bounces", "transparent_max_bounces"):
                setattr(s.cycles, name, bounces)
            s.cycles.sample_clamp_direct = 0.0
            s.cycles.sample_clamp_indirect = 0.0
            s.cycles.filter_type = "BOX"
            s.cycles.filter_width = 1.0
            s.render.resolution_x = width
            s.render.resolution_y = height
            s.render.resolution_percentage = 100
            s.view_settings.view_transform = "Standard"
            if s.world is None:
                s.world = bpy.data.worlds.new("World")
            s.world.use_nodes = True
            s.world.node_tree.nodes["Background"].inputs["Color"].default_value = (0, 0, 0, 1)
            s.render.image_settings.file_format = "PNG"
            s.render.filepath = a[1]
            bpy.ops.render.render(write_still=True)
            print("CYCLES_SECONDS %.3f %.3f" % (t1 - t0, time.perf_counter() - t1))
            """;

    /** One Cycles run: the whole command's wall time, Blender's own import and render times, its peak RSS. */
    record Result(double seconds, double importSeconds, double renderSeconds, long peakRssBytes) {
    }

    private CyclesRun() {
    }

    /** Whether Debian's Blender is installed here. */
    static boolean available() {
        return Files.isExecutable(BLENDER);
    }

    /** Renders {@code gltf} at the given settings into {@code dir}; empty with the reason written to {@code log} when Blender failed. */
    static Optional<Result> render(Path gltf, int width, int height, int spp, int bounces, Path dir, long timeLimitSeconds)
            throws IOException, InterruptedException {
        Path log = dir.resolve("cycles.log");
        List<String> command = List.of(BLENDER.toString(), "-b", "--factory-startup", "--python-exit-code", "1", "--python-expr", SCRIPT,
                "--", gltf.toAbsolutePath().toString(), dir.resolve("cycles.png").toAbsolutePath().toString(),
                Integer.toString(width), Integer.toString(height), Integer.toString(spp), Integer.toString(bounces));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try (PeakRss rss = PeakRss.of(process.toHandle())) {
            if (!process.waitFor(timeLimitSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return Optional.empty();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (process.exitValue() != 0) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith("CYCLES_SECONDS ")) {
                    String[] f = line.split(" ");
                    return Optional.of(new Result(seconds, Double.parseDouble(f[1]), Double.parseDouble(f[2]), rss.peakBytes()));
                }
            }
            return Optional.empty();
        }
    }
}
