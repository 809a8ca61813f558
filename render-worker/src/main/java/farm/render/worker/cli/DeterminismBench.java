package farm.render.worker.cli;

import farm.render.core.cli.CommandLines;
import farm.render.core.cli.WholeNumbers;
import farm.render.core.image.PixelComparison;
import farm.render.core.image.TileImage;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.SceneImporter;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * {@code bench determinism [--size N] [--spp S] [--bounces B] [--rounds R] [--baseline-jar J]}: renders the sample
 * scenes on every numerical configuration this machine reaches ({@link NumericalConfiguration#reachable}), each in a
 * child JVM with its environment set, and compares each with the first, per scene: pixels bit-identical, the largest
 * difference, pixels the verifier's rule ({@link PixelComparison#DEFAULT}) rejects. It times the same renders
 * against an earlier renderer version's jar, runs of the two interleaved. Its last line is
 * {@code bitexact=X% rule_fail=Y% cost=Z%} ({@link DeterminismSummary}).
 */
@Command(name = "determinism", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "bench determinism [--size N] [--spp S] [--bounces B] [--rounds R] [--baseline-jar J]",
        description = "determinism: the samples rendered on every numerical configuration it reaches (lavapipe as it is, "
                + "with SSE4.1 only, with 128-bit vectors, every other Vulkan device), each compared with the first",
        footer = "%nexit codes: 0 done, 1 render failure, 2 bad arguments, 3 no renderer on this machine")
final class DeterminismBench implements Callable<Integer> {
    @Option(names = "--size", converter = WholeNumbers.Positive.class, paramLabel = "N",
            description = "width and height of each render in pixels (default ${DEFAULT-VALUE})")
    private int size = 128;
    @Option(names = "--spp", converter = WholeNumbers.Positive.class, paramLabel = "S",
            description = "samples per pixel (default ${DEFAULT-VALUE})")
    private int spp = 64;
    @Option(names = "--bounces", converter = WholeNumbers.Positive.class, paramLabel = "B",
            description = "most bounces of a path (default ${DEFAULT-VALUE})")
    private int bounces = 8;
    @Option(names = "--rounds", converter = WholeNumbers.Positive.class, paramLabel = "R",
            description = "renders of every scene per configuration, each round a new process (default ${DEFAULT-VALUE})")
    private int rounds = 5;
    @Option(names = "--baseline-jar", paramLabel = "J",
            description = "a render-worker jar of the previous renderer version (its lib/ beside it): paths/s are compared "
                    + "with it, runs interleaved; without it only this renderer's paths/s are shown")
    private Path baselineJar;
    @Spec
    private CommandSpec spec;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    /** Rates of one kind (wall or CPU time) of one renderer (this one or the baseline) in one configuration and scene. */
    private record RateKey(boolean cpu, boolean ours, int configuration, String scene) {
    }

    @Override
    public Integer call() {
        try {
            new FrameRequest(size, size, 0, spp, bounces, RenderCommand.SEED);
        } catch (IllegalArgumentException e) {
            throw CommandLines.mistake(spec, e.getMessage());
        }
        if (baselineJar != null && !isWorkerJar(baselineJar)) {
            throw CommandLines.mistake(spec, "--baseline-jar " + baselineJar + " is not a render-worker jar");
        }
        Path work = null;
        try {
            List<DeterminismScene> scenes = scenes();
            List<NumericalConfiguration> configurations = NumericalConfiguration.reachable(VulkanRenderer.devices());
            if (configurations.isEmpty()) {
                err.println("bench determinism: no Vulkan device with a compute queue on this machine");
                return 3;
            }
            work = Files.createTempDirectory("determinism");
            return measure(configurations, scenes, work);
        } catch (NoSuchFileException | InvalidSceneException e) {
            err.println("bench determinism: cannot load the samples: " + e.getMessage());
            return 2;
        } catch (RendererUnavailableException e) {
            err.println("bench determinism: " + e.getMessage());
            return 3;
        } catch (IOException e) {
            err.println("bench determinism: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            deleteQuietly(work);
        }
    }

    private int measure(List<NumericalConfiguration> configurations, List<DeterminismScene> scenes, Path work)
            throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "determinism benchmark  %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS));
        out.printf(Locale.ROOT, "settings: %dx%d, %d spp, %d bounces; %d rounds, each configuration in its own process per round; "
                + "baseline: %s%n", size, size, spp, bounces, rounds, baselineJar == null ? "none given" : baselineJar);
        ProbeProcess current = ProbeProcess.current();
        ProbeProcess baseline = baselineJar == null ? null : ProbeProcess.baseline(baselineJar);
        String baselineFailure = null;
        List<Map<String, TileImage>> reference = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        List<String> unstable = new ArrayList<>();
        Map<RateKey, List<Double>> rates = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (int c = 0; c < configurations.size(); c++) {
                NumericalConfiguration configuration = configurations.get(c);
                // this renderer first in even rounds, the baseline first in odd ones: drift in load falls on both
                for (boolean ours : baseline == null ? List.of(true) : round % 2 == 0 ? List.of(true, false) : List.of(false, true)) {
                    Path dir = work.resolve("r" + round + "c" + c + (ours ? "" : "b"));
                    ProbeProcess.Result r;
                    try {
                        r = (ours ? current : baseline).run(configuration, size, spp, bounces, scenes, dir);
                    } catch (IOException e) {
                        if (ours) {
                            throw e;
                        }
                        // an earlier version too different to run the probe: its rates are left out, the pixels still count
                        baselineFailure = e.getMessage();
                        err.println("bench determinism: the baseline did not run, its paths/s are left out: " + baselineFailure);
                        rates.keySet().removeIf(k -> !k.ours());
                        baseline = null;
                        continue;
                    }
                    for (DeterminismScene s : scenes) {
                        if (!r.images().containsKey(s.name())) {
                            throw new IOException("the child process of " + configuration.label() + " rendered no " + s.name());
                        }
                        double paths = r.paths().get(s.name());
                        rates.computeIfAbsent(new RateKey(false, ours, c, s.name()), k -> new ArrayList<>()).add(paths / (r.nanos().get(s.name()) / 1e9));
                        long cpu = r.cpuNanos().get(s.name());
                        if (cpu > 0) { // a render shorter than the clock's tick has no CPU rate
                            rates.computeIfAbsent(new RateKey(true, ours, c, s.name()), k -> new ArrayList<>()).add(paths / (cpu / 1e9));
                        }
                    }
                    if (ours && round == 0) {
                        reference.add(r.images());
                        devices.add(r.device());
                    } else if (ours) {
                        for (DeterminismScene s : scenes) {
                            ImageAgreement again = ImageAgreement.of(reference.get(c).get(s.name()), r.images().get(s.name()), PixelComparison.DEFAULT);
                            if (again.identical() != again.pixels()) {
                                unstable.add("[" + (c + 1) + "] " + s.name() + " round " + (round + 1));
                            }
                        }
                    }
                    deleteQuietly(dir);
                }
                err.printf(Locale.ROOT, "  round %d/%d, [%d] %s done, %.0f s so far%n", round + 1, rounds, c + 1,
                        configuration.label(), (System.nanoTime() - start) / 1e9);
            }
        }
        printAgreement(configurations, devices, scenes, reference, unstable);
        OptionalDouble cost = speed(configurations.size(), scenes, rates, false);
        OptionalDouble cpuCost = speed(configurations.size(), scenes, rates, true);
        if (baselineJar == null) {
            out.println("no baseline given (--baseline-jar J): the cost against the previous renderer version is not measured");
        } else if (baselineFailure != null) {
            out.println("the baseline did not run (" + baselineFailure + "): the cost is not measured");
        } else {
            out.printf(Locale.ROOT, "paths/s lost against the baseline (geometric mean over scenes and configurations): %.2f%%; "
                    + "paths per CPU second lost: %s (steadier on a loaded machine; a GPU's own time is not in it)%n",
                    cost.getAsDouble(), cpuCost.isPresent() ? String.format(Locale.ROOT, "%.2f%%", cpuCost.getAsDouble()) : "n/a");
        }
        out.println(DeterminismSummary.line(pairs(configurations.size(), scenes, reference), cost));
        return 0;
    }

    private void printAgreement(List<NumericalConfiguration> configurations, List<String> devices, List<DeterminismScene> scenes,
                        List<Map<String, TileImage>> images, List<String> unstable) {
        out.println("configurations:");
        for (int c = 0; c < configurations.size(); c++) {
            out.printf(Locale.ROOT, "  [%d] %s: %s%n", c + 1, configurations.get(c).label(), devices.get(c));
        }
        out.println();
        out.println("each configuration against [1]; rule: the verifier's PixelComparison.DEFAULT (relative 1e-3, floor 1e-4)");
        out.println("| scene              | configuration | bit-identical | max abs diff | rule failures |");
        out.println("|--------------------|---------------|---------------|--------------|---------------|");
        List<ImageAgreement> pairs = pairs(configurations.size(), scenes, images);
        for (int i = 0; i < pairs.size(); i++) {
            ImageAgreement a = pairs.get(i);
            out.printf(Locale.ROOT, "| %-18s | [%d] vs [1]    | %13s | %12s | %13s |%n", scenes.get(i / (configurations.size() - 1)).name(),
                    2 + i % (configurations.size() - 1), DeterminismSummary.identical(a),
                    a.maxAbsDiff() == 0 ? "0" : String.format(Locale.ROOT, "%.3g", a.maxAbsDiff()), DeterminismSummary.ruleFail(a));
        }
        if (configurations.size() < 2) {
            out.println("(one configuration only: nothing to compare)");
        }
        out.println(unstable.isEmpty() ? "run to run: every configuration gave the same pixels in every round"
                : "run to run: differed from round 1: " + String.join(", ", unstable));
    }

    /** Each configuration after the first against the first, scene by scene in order. */
    private static List<ImageAgreement> pairs(int configurations, List<DeterminismScene> scenes, List<Map<String, TileImage>> images) {
        List<ImageAgreement> pairs = new ArrayList<>();
        for (DeterminismScene s : scenes) {
            for (int c = 1; c < configurations; c++) {
                pairs.add(ImageAgreement.of(images.get(0).get(s.name()), images.get(c).get(s.name()), PixelComparison.DEFAULT));
            }
        }
        return pairs;
    }

    /** Prints the table of one kind of rate; returns the percent lost against the baseline, if one ran. */
    private OptionalDouble speed(int configurations, List<DeterminismScene> scenes, Map<RateKey, List<Double>> rates, boolean cpu) {
        out.println();
        out.printf(Locale.ROOT, "%s, median of %d rounds (min-max)%n", cpu ? "paths per CPU second of the rendering process" : "paths/s",
                rounds);
        out.println("| scene              | configuration | this renderer                 | baseline                      | change  |");
        out.println("|--------------------|---------------|-------------------------------|-------------------------------|---------|");
        List<Double> ratios = new ArrayList<>();
        for (DeterminismScene s : scenes) {
            for (int c = 0; c < configurations; c++) {
                List<Double> ours = rates.get(new RateKey(cpu, true, c, s.name()));
                List<Double> theirs = rates.get(new RateKey(cpu, false, c, s.name()));
                String change = "";
                if (ours != null && theirs != null) {
                    double ratio = median(ours) / median(theirs);
                    ratios.add(ratio);
                    change = String.format(Locale.ROOT, "%+.1f%%", 100 * (ratio - 1));
                }
                out.printf(Locale.ROOT, "| %-18s | [%d]           | %-29s | %-29s | %7s |%n", s.name(), c + 1, rates(ours), rates(theirs), change);
            }
        }
        return DeterminismSummary.cost(ratios);
    }

    private static String rates(List<Double> rates) {
        if (rates == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f (%.0f-%.0f)", median(rates), rates.stream().mapToDouble(d -> d).min().orElse(0),
                rates.stream().mapToDouble(d -> d).max().orElse(0));
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(d -> d).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The samples, the generated 100k-triangle sphere grid of {@code bench} as the dense scene, a forest of 64 instances,
     * moving-sphere at its middle frame.
     */
    static List<DeterminismScene> scenes() throws IOException, InvalidSceneException {
        Path samples = BenchCommand.cornellBox().toAbsolutePath().getParent().getParent();
        Path moving = samples.resolve("moving-sphere/moving-sphere.gltf");
        var animation = SceneImporter.importScene(Files.readAllBytes(moving), "gltf").animation();
        List<DeterminismScene> scenes = new ArrayList<>();
        for (String name : List.of("cornell-box", "texture-yard", "sphere-trio")) {
            scenes.add(DeterminismScene.file(name, samples.resolve(name + "/" + name + ".gltf"), 0));
        }
        scenes.add(DeterminismScene.sphereGrid("sphere-grid-100k", BenchCommand.LARGE_SCENE_TRIANGLES));
        scenes.add(DeterminismScene.forest("forest-64", 64, 5_000));
        int middle = (animation.firstFrame() + animation.lastFrame()) / 2;
        scenes.add(DeterminismScene.file("moving-sphere@" + middle, moving, middle));
        return scenes;
    }

    /** Whether {@code file} is a jar holding the worker's renderer: else the probe would silently time this one. */
    static boolean isWorkerJar(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (ZipFile jar = new ZipFile(file.toFile())) {
            return jar.getEntry(VulkanRenderer.class.getName().replace('.', '/') + ".class") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
