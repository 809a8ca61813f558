package farm.render.verifier.bench;

import farm.render.core.cli.CommandLines;
import farm.render.core.cli.WholeNumbers;
import farm.render.core.image.PixelComparison;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.core.wire.Reputation;
import farm.render.core.wire.SampledPixel;
import farm.render.core.wire.TileTask;
import farm.render.verifier.SpotCheck;
import farm.render.worker.daemon.Cheat;
import farm.render.worker.daemon.TileProducer;
import farm.render.worker.daemon.WorkerIdentity;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ./farm bench verify}: honest and cheating workers render many tiles in-process through the
 * real renderer; every result goes through the real verification path (task and result signatures,
 * reputation-driven k, pixel spot check with the verifier's own randomness). Prints a table and ends
 * with exactly one line {@code detection=X% false_positive=Y% overhead=Z%}.
 *
 * <p>Detection counts tiles with at least 5% forged pixels; false positives count honest tiles;
 * overhead is verifier compute over render compute for honest tiles at the demo's job settings
 * (64×64 tiles, 64 spp, 4 bounces), also shown for the small bench tiles, where the fixed cost per
 * result (two Ed25519 signature checks, about 1 ms each on Java 17) dominates. {@link PeerRows} adds workers of an
 * unproven numerical class checked by peers; the last line and the goals count every row ({@link Summary}).
 */
@Command(name = "./farm bench verify", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {"./farm bench verify [--honest N] [--cheat-tiles M] [--tile PX] [--spp S] [--bounces B]",
                "                           [--overhead-tiles T] [--other-config-tiles O] [--peer-honest-tiles H]",
                "                           [--peer-tiles P] [--scene FILE.gltf]"},
        description = "verification benchmark: detection, false positives and overhead of spot checks and peer checks",
        footer = "%nexit codes: 0 done, 2 bad arguments or scene, 3 no renderer on this machine")
public final class VerifyBench implements Callable<Integer> {
    /** Strategies whose tiles carry at least 5% forged pixels: what detection= counts. */
    static final Set<Cheat> FORGED_5_OR_MORE = EnumSet.of(Cheat.RANDOM, Cheat.FEWER_SAMPLES, Cheat.COPY_TILE, Cheat.COPY_FRAME,
            Cheat.BLACK, Cheat.CONSTANT, Cheat.FORGE_5_PERCENT, Cheat.FORGE_25_PERCENT, Cheat.REPLAY);

    record Options(int honestTiles, int cheatTiles, int tile, int spp, int bounces, int image, int overheadTiles, Path scene,
                   int otherConfigurationTiles, PeerRows.Settings peers) {
    }

    /** The other numerical configuration an honest worker renders in: lavapipe held to SSE4.1. */
    static final Map<String, String> OTHER_CONFIGURATION = Map.of("GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1");

    @Option(names = "--honest", paramLabel = "N", converter = WholeNumbers.Positive.class,
            description = "tiles rendered by honest workers (default ${DEFAULT-VALUE})")
    private int honest = 10_000;
    @Option(names = "--cheat-tiles", paramLabel = "M", description = "tiles per cheating strategy, at least 2 (default ${DEFAULT-VALUE})")
    private int cheat = 150;
    @Option(names = "--tile", paramLabel = "PX", description = "tile size in pixels, 4 to 256 (default ${DEFAULT-VALUE})")
    private int tile = 32;
    @Option(names = "--spp", paramLabel = "S", description = "samples per pixel, at least 2 (default ${DEFAULT-VALUE})")
    private int spp = 2;
    @Option(names = "--bounces", paramLabel = "B", converter = WholeNumbers.NotNegative.class,
            description = "most bounces of a path (default ${DEFAULT-VALUE})")
    private int bounces = 2;
    @Option(names = "--overhead-tiles", paramLabel = "T", converter = WholeNumbers.NotNegative.class,
            description = "tiles at the demo's job settings for the overhead, spot-checked and again peer-checked "
                    + "(default ${DEFAULT-VALUE})")
    private int overhead = 12;
    @Option(names = "--other-config-tiles", paramLabel = "O", converter = WholeNumbers.NotNegative.class,
            description = "tiles an honest worker renders in another process under GALLIUM_OVERRIDE_CPU_CAPS=sse4.1, "
                    + "checked at zero tolerance; 0 leaves the row out (default ${DEFAULT-VALUE})")
    private int otherConfiguration = 2_000;
    @Option(names = "--peer-honest-tiles", paramLabel = "H", converter = WholeNumbers.NotNegative.class,
            description = "tiles of honest workers of an unproven class checked by honest peers: the false-positive goal "
                    + "(0 over 10,000 tiles) needs at least 10000 (default ${DEFAULT-VALUE})")
    private int peerHonest = 10_000;
    @Option(names = {"--peer-tiles", "--peer-cheat-tiles"}, paramLabel = "P", converter = WholeNumbers.NotNegative.class,
            description = "tiles per peer-checked row with a cheat (forging worker, lying, lazy or colluding peer): each "
                    + "row's detection or caught-peer share (goal >= 99%%) moves by 1/P per tile; 0 leaves all peer rows out "
                    + "(default ${DEFAULT-VALUE})")
    private int peerTiles = 300;
    @Option(names = "--scene", paramLabel = "FILE.gltf", description = "the scene (default: the Cornell box sample)")
    private Path scene;
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.of(new VerifyBench()).execute(args));
    }

    @Override
    public Integer call() {
        Options o = options();
        System.setProperty(Cheat.SWITCH, "true"); // this harness plays the cheating workers itself
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            run(o, renderer);
            return 0;
        } catch (RendererUnavailableException e) {
            System.err.println("bench verify: " + e.getMessage());
            return 3;
        } catch (IOException | InvalidSceneException e) {
            System.err.println("bench verify: cannot load the scene: " + e.getMessage());
            return 2;
        }
    }

    private Options options() {
        if (cheat < 2 || tile < 4 || tile > 256 || spp < 2) {
            throw CommandLines.mistake(spec, "need --cheat-tiles >= 2, 4 <= --tile <= 256, --spp >= 2 (fewer-samples needs 2)");
        }
        try {
            return new Options(honest, cheat, tile, spp, bounces, tile * 8, overhead, scene == null ? defaultScene() : scene,
                    otherConfiguration, new PeerRows.Settings(peerHonest, peerTiles, overhead));
        } catch (IllegalArgumentException e) {
            throw CommandLines.mistake(spec, e.getMessage());
        }
    }

    private static Path defaultScene() {
        List<Path> roots = new ArrayList<>();
        String env = System.getenv("FARM_ROOT");
        if (env != null) {
            roots.add(Path.of(env));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            roots.add(p);
        }
        try {
            Path jar = Path.of(VerifyBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                roots.add(p);
            }
        } catch (URISyntaxException | RuntimeException e) {
            // the working directory will have to do
        }
        for (Path root : roots) {
            Path candidate = root.resolve("samples/cornell-box/cornell-box.gltf");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("cannot find samples/cornell-box/cornell-box.gltf; pass --scene FILE.gltf");
    }

    /** Totals of one strategy. */
    static final class Tally {
        final String name;
        int tiles;
        int caught;
        long mismatched;
        long checked;
        long renderNanos;
        long verifyNanos;

        Tally(String name) {
            this.name = name;
        }

        void add(InProcessFarm.Round r) {
            tiles++;
            if (!r.verdict().passed()) {
                caught++;
            }
            mismatched += r.verdict().pixelsMismatched();
            checked += r.verdict().pixelsChecked();
            renderNanos += r.renderNanos();
            verifyNanos += r.verifyNanos();
        }

        double caughtPercent() {
            return tiles == 0 ? 0 : 100.0 * caught / tiles;
        }
    }

    static void run(Options o, VulkanRenderer renderer) throws IOException, InvalidSceneException {
        String file = o.scene().getFileName().toString();
        Scene scene = SceneImporter.importScene(Files.readAllBytes(o.scene()), file.substring(file.lastIndexOf('.') + 1));
        SpotCheck check = new SpotCheck(renderer, 0, PixelComparison.DEFAULT, new SecureRandom());
        InProcessFarm farm = new InProcessFarm(scene, "bench-scene", check);
        int perRow = o.image() / o.tile();
        int perFrame = perRow * perRow;
        System.out.printf("verification benchmark  %s  device: %s%n", Instant.now(), renderer.deviceName());
        System.out.printf("scene %s; bench tiles %dx%d px of a %dx%d image, %d spp, %d bounces; k by reputation (new worker: %d)%n",
                o.scene().getFileName(), o.tile(), o.tile(), o.image(), o.image(), o.spp(), o.bounces(), Reputation.NEW.sampledPixels());

        // honest workers: false positives, run-to-run spread, overhead on bench tiles
        WorkerIdentity honestId = farm.register("honest", Reputation.NEW);
        TileProducer honest = new TileProducer(renderer, honestId);
        Tally honestTally = new Tally("honest");
        double maxSpread = 0;
        long start = System.nanoTime();
        for (int i = 0; i < o.honestTiles(); i++) {
            InProcessFarm.Round r = farm.round(honest, task(farm, o, "honest", i, perRow, perFrame, 1));
            farm.record(r.verdict()); // its record grows: k falls from 128 (new) to 64, then 32 (trusted)
            honestTally.add(r);
            for (SampledPixel p : r.verdict().evidence()) {
                for (int c = 0; c < 3; c++) {
                    maxSpread = Math.max(maxSpread, Math.abs(p.expected()[c] - p.got()[c]));
                }
            }
            if ((i + 1) % 1000 == 0 || i + 1 == o.honestTiles()) {
                double s = (System.nanoTime() - start) / 1e9;
                System.err.printf("  honest tiles %d/%d, %.0f tiles/s, ETA %.0f s%n", i + 1, o.honestTiles(), (i + 1) / s,
                        (o.honestTiles() - i - 1) * s / (i + 1));
            }
        }

        OtherConfiguration other = o.otherConfigurationTiles() > 0 ? otherConfiguration(o, scene, renderer, perRow, perFrame) : null;
        PeerRows.Result peers = o.peers().cheatTiles() > 0 ? PeerRows.run(o, o.peers(), farm, scene, renderer) : null;

        // cheating workers, each new (as a cheater is before its first failure)
        List<Tally> cheats = new ArrayList<>();
        for (Cheat cheat : Cheat.values()) {
            WorkerIdentity id = farm.register("cheat-" + cheat.name().toLowerCase(Locale.ROOT), Reputation.NEW);
            WorkerIdentity victim = farm.register("victim-" + cheat.name().toLowerCase(Locale.ROOT), Reputation.NEW);
            TileProducer w = new TileProducer(renderer, id, Optional.of(cheat), victim.keys(), new Random(cheat.ordinal()));
            Tally t = new Tally(cheat.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            int tiles = cheat == Cheat.REPLAY ? o.cheatTiles() + 1 : o.cheatTiles();
            for (int i = 0; i < tiles; i++) {
                InProcessFarm.Round r = farm.round(w, task(farm, o, t.name, i, perRow, perFrame, 1));
                if (cheat == Cheat.REPLAY && i == 0) {
                    continue; // the first tile is rendered honestly: there is nothing to replay yet
                }
                t.add(r);
            }
            cheats.add(t);
            System.err.printf("  %s: %d of %d tiles caught%n", t.name, t.caught, t.tiles);
        }

        // a trusted worker (long clean record, k = 32) that turns to forging: caught per tile less often,
        // but its first failure makes it suspect (k = 192) and costs it stake
        List<Tally> turned = new ArrayList<>();
        for (Cheat cheat : List.of(Cheat.FORGE_5_PERCENT, Cheat.FORGE_25_PERCENT)) {
            String name = "trusted-" + cheat.name().toLowerCase(Locale.ROOT).replace('_', '-');
            WorkerIdentity id = farm.register(name, new Reputation(Reputation.TRUSTED_FROM, 0));
            TileProducer w = new TileProducer(renderer, id, Optional.of(cheat), null, new Random(cheat.ordinal()));
            Tally t = new Tally(name);
            for (int i = 0; i < o.cheatTiles(); i++) {
                farm.setReputation(name, new Reputation(Reputation.TRUSTED_FROM, 0)); // judged each time as trusted
                t.add(farm.round(w, task(farm, o, name, i, perRow, perFrame, 1)));
            }
            turned.add(t);
        }

        // overhead at the demo's job settings: 64x64 tiles, 64 spp, 4 bounces
        Tally production = new Tally("honest, demo settings");
        Options demo = new Options(0, 0, 64, 64, 4, 512, 0, o.scene(), 0, null);
        for (int i = 0; i < o.overheadTiles(); i++) {
            InProcessFarm.Round r = farm.round(honest, task(farm, demo, "demo", i, 8, 64, 1));
            farm.record(r.verdict());
            production.add(r);
        }

        System.out.println();
        System.out.println("| workers                  | tiles  | failed | failed % | expected % | pixels checked | mismatched | verify/render |");
        System.out.println("|--------------------------|--------|--------|----------|------------|----------------|------------|---------------|");
        row(honestTally, "0");
        int k = Reputation.NEW.sampledPixels();
        int pixels = o.tile() * o.tile();
        for (Tally t : cheats) {
            row(t, expected(Cheat.values()[cheats.indexOf(t)], pixels, k));
        }
        for (Tally t : turned) {
            double f = t.name.contains("25") ? 0.25 : 0.05;
            long forged = Math.max(1, Math.round(pixels * f));
            row(t, String.format("%.2f", 100 * (1 - Math.pow(1 - (double) forged / pixels, 32))));
        }
        if (production.tiles > 0) {
            row(production, "0");
        }
        if (other != null) {
            row(other.tally(), "0");
        }
        Summary summary = new Summary();
        int forgedTiles = 0;
        for (int i = 0; i < cheats.size(); i++) {
            if (FORGED_5_OR_MORE.contains(Cheat.values()[i])) {
                summary.forged(cheats.get(i).name, cheats.get(i).caught, cheats.get(i).tiles, expected(Cheat.values()[i], pixels, k));
                forgedTiles += cheats.get(i).tiles;
            }
        }
        for (Tally t : other == null ? List.of(honestTally, production) : List.of(honestTally, production, other.tally())) {
            summary.honest(t.caught, t.tiles);
        }
        System.out.println();
        System.out.println("expected %: 1 - (1 - forged/pixels)^k, the chance that k uniform draws hit a forged pixel");
        System.out.printf("lavapipe run-to-run spread over %d sampled pixels (re-render vs worker's tile): max |diff| = %s%n",
                honestTally.checked, maxSpread == 0 ? "0 (bit-identical)" : Double.toString(maxSpread));
        if (other != null) {
            System.out.printf("honest, other configuration: the worker on %s (GALLIUM_OVERRIDE_CPU_CAPS=sse4.1, its own process), "
                    + "the verifier on %s; zero tolerance: %d of %d tiles failed, %d of %d sampled pixels differ, max |diff| = %s; "
                    + "under PixelComparison.DEFAULT %d of those pixels would differ%n", other.device(), renderer.deviceName(),
                    other.tally().caught, other.tally().tiles, other.tally().mismatched, other.tally().checked,
                    other.maxDiff() == 0 ? "0 (bit-identical)" : Double.toString(other.maxDiff()), other.outsideDefault());
        }
        System.out.printf("overhead on bench tiles (%dx%d, %d spp): %.2f%% (fixed cost per result: two Ed25519 checks, digest, one dispatch)%n",
                o.tile(), o.tile(), o.spp(), 100.0 * honestTally.verifyNanos / honestTally.renderNanos);
        double overhead = production.tiles > 0 ? 100.0 * production.verifyNanos / production.renderNanos
                : 100.0 * honestTally.verifyNanos / honestTally.renderNanos;
        System.out.printf("overhead at demo settings (64x64, 64 spp, 4 bounces, %d tiles): %s%n", production.tiles,
                production.tiles > 0 ? String.format("%.2f%%", overhead) : "not measured (--overhead-tiles 0): bench tiles used");
        summary.cost(production.tiles > 0 ? "spot check" : "spot check on bench tiles", overhead);
        System.out.printf("honest worker's k at the end: %d (record %.0f passes); the trusted-* rows are not counted in detection%n",
                farm.worker("honest").orElseThrow().reputation().sampledPixels(), farm.worker("honest").orElseThrow().reputation().passes());
        System.out.printf("detection counts %d tiles with >= 5%% forged pixels from new workers here (%s), and those of the "
                + "peer-checked rows%n", forgedTiles,
                String.join(", ", FORGED_5_OR_MORE.stream().map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()));
        if (peers != null) {
            PeerRows.print(peers, o, renderer.deviceName(), summary);
        }
        System.out.println();
        summary.print();
    }

    /** The honest worker in another numerical configuration: its tiles, its device, how far its sampled pixels were. */
    record OtherConfiguration(Tally tally, String device, double maxDiff, long outsideDefault) {
    }

    /**
     * An honest worker rendering in a child process under {@link #OTHER_CONFIGURATION}, the verifier as it is, every
     * sampled pixel required to be equal (zero tolerance); its record grows as the honest worker's does.
     */
    static OtherConfiguration otherConfiguration(Options o, Scene scene, VulkanRenderer renderer, int perRow, int perFrame)
            throws IOException {
        InProcessFarm exact = new InProcessFarm(scene, "bench-scene", new SpotCheck(renderer, 0, new PixelComparison(0f, 0f),
                new SecureRandom()));
        WorkerIdentity id = exact.register("honest-other-configuration", Reputation.NEW);
        Tally tally = new Tally("honest, other configuration");
        double maxDiff = 0;
        long outsideDefault = 0;
        long start = System.nanoTime();
        try (ChildProcessRenderer child = ChildProcessRenderer.start(o.scene(), OTHER_CONFIGURATION)) {
            TileProducer worker = new TileProducer(child, id);
            for (int i = 0; i < o.otherConfigurationTiles(); i++) {
                InProcessFarm.Round r = exact.round(worker, task(exact, o, "other", i, perRow, perFrame, 1));
                exact.record(r.verdict());
                tally.add(r);
                for (SampledPixel p : r.verdict().evidence()) {
                    for (int c = 0; c < 3; c++) {
                        maxDiff = Math.max(maxDiff, Math.abs(p.expected()[c] - p.got()[c]));
                    }
                    if (!PixelComparison.DEFAULT.matches(p.expected(), 0, p.got(), 0)) {
                        outsideDefault++;
                    }
                }
                if ((i + 1) % 500 == 0 || i + 1 == o.otherConfigurationTiles()) {
                    double s = (System.nanoTime() - start) / 1e9;
                    System.err.printf("  honest, other configuration: tiles %d/%d, %d failed, ETA %.0f s%n", i + 1,
                            o.otherConfigurationTiles(), tally.caught, (o.otherConfigurationTiles() - i - 1) * s / (i + 1));
                }
            }
            return new OtherConfiguration(tally, child.deviceName(), maxDiff, outsideDefault);
        }
    }

    /** For a forging strategy, the chance k uniform draws hit one of its forged pixels, in percent; empty for the others. */
    private static String expected(Cheat c, int pixels, int k) {
        if (c.forgedFraction() <= 0) {
            return "";
        }
        long forged = Math.max(1, Math.round(pixels * c.forgedFraction()));
        return String.format("%.2f", 100 * (1 - Math.pow(1 - (double) forged / pixels, k)));
    }

    private static void row(Tally t, String expected) {
        System.out.printf("| %-24s | %6d | %6d | %7.2f%% | %10s | %14d | %10d | %12.2f%% |%n", t.name, t.tiles, t.caught, t.caughtPercent(),
                expected, t.checked, t.mismatched, t.renderNanos == 0 ? 0 : 100.0 * t.verifyNanos / t.renderNanos);
    }

    static TileTask task(InProcessFarm farm, Options o, String job, int i, int perRow, int perFrame, int attempt) {
        int frame = i / perFrame;
        int t = i % perFrame;
        TileRect rect = new TileRect((t % perRow) * o.tile(), (t / perRow) * o.tile(), o.tile(), o.tile());
        return farm.task(job, frame, t, attempt, rect, o.image(), o.image(), o.spp(), o.bounces(), 20261126L);
    }
}
