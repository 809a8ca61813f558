package farm.render.worker.cli;

import farm.render.core.image.Exr;
import farm.render.core.image.TileImage;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@link DeterminismProbe} in a child JVM, so the environment of a {@link NumericalConfiguration} is in place
 * before the Vulkan driver loads, against this renderer or an earlier version's jar put first on the class path.
 */
final class ProbeProcess {
    private final String classpath;

    private ProbeProcess(String classpath) {
        this.classpath = classpath;
    }

    /** This renderer: the jar (or class folders) this class was loaded from. */
    static ProbeProcess current() {
        return new ProbeProcess(ChildJvm.classpathOf(DeterminismProbe.class));
    }

    /** An earlier renderer version: its worker jar (its lib/ beside it) first, then this one for the probe class alone. */
    static ProbeProcess baseline(Path workerJar) {
        return new ProbeProcess(workerJar.toAbsolutePath() + File.pathSeparator + ChildJvm.classpathOf(DeterminismProbe.class));
    }

    /** What one child rendered: the device's name, and per scene its image and render time. */
    record Result(String device, Map<String, TileImage> images, Map<String, Long> nanos, Map<String, Long> paths,
                  Map<String, Long> cpuNanos) {
    }

    /** Renders {@code scenes} in {@code configuration} into {@code dir}; a failed child is an IOException with its stderr. */
    Result run(NumericalConfiguration configuration, int size, int spp, int bounces, List<DeterminismScene> scenes, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> command = ChildJvm.command(classpath, DeterminismProbe.class);
        command.addAll(List.of(Integer.toString(configuration.device()), Integer.toString(size), Integer.toString(size),
                Integer.toString(spp), Integer.toString(bounces), dir.toString()));
        scenes.forEach(s -> command.add(s.word()));
        Path out = dir.resolve("probe.out");
        Path err = dir.resolve("probe.err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        NumericalConfiguration.LAVAPIPE_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().putAll(configuration.env());
        int status = pb.start().waitFor();
        if (status != 0) {
            String said = Files.readString(err, StandardCharsets.UTF_8).strip();
            throw new IOException("the child process exited " + status + (said.isEmpty() ? "" : ": " + said));
        }
        return read(Files.readAllLines(out, StandardCharsets.UTF_8), dir);
    }

    private static Result read(List<String> lines, Path dir) throws IOException {
        String device = null;
        Map<String, TileImage> images = new LinkedHashMap<>();
        Map<String, Long> nanos = new LinkedHashMap<>();
        Map<String, Long> paths = new LinkedHashMap<>();
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            if (f[0].equals("device") && f.length == 2) {
                device = f[1];
            } else if (f[0].equals("scene") && f.length == 5) {
                images.put(f[1], Exr.decode(Files.readAllBytes(dir.resolve(f[1] + ".exr"))));
                nanos.put(f[1], Long.parseLong(f[2]));
                paths.put(f[1], Long.parseLong(f[3]));
                cpu.put(f[1], Long.parseLong(f[4]));
            }
        }
        return new Result(Optional.ofNullable(device).orElse("unknown device"), images, nanos, paths, cpu);
    }
}
