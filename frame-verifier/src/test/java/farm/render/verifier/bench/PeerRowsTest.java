package farm.render.verifier.bench;

import farm.render.core.cli.CommandLines;
import farm.render.core.image.PixelComparison;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.core.wire.Reputation;
import farm.render.core.wire.TileTask;
import farm.render.verifier.SpotCheck;
import farm.render.worker.daemon.Cheat;
import farm.render.worker.daemon.TileProducer;
import farm.render.worker.render.VulkanRenderer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./farm bench verify} with few tiles, on the real renderer: the peer-checked rows appear, a lying and a lazy peer
 * are caught in each of their checks, honest workers and peers are never failed, and {@code --peer-tiles 0} leaves the rows out;
 * a verifier's sample that an honest worker of the perturbed class misses on a pixel whose path took another turn is
 * widened, passes, and the peer confirms that pixel bit for bit, while a forgery still fails.
 */
class PeerRowsTest {
    @AfterEach
    void cheatsOffAgain() {
        System.clearProperty(Cheat.SWITCH); // the benchmark switches the test-only cheats on for its own workers
    }

    private static String run(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(CommandLines.of(new VerifyBench()).execute(args)).isZero();
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void peerRowsCatchALyingAndALazyPeerAndFailNoHonestParty() {
        String out = run("--honest", "4", "--cheat-tiles", "2", "--overhead-tiles", "0", "--other-config-tiles", "0",
                "--peer-honest-tiles", "20", "--peer-tiles", "3");
        assertThat(out).contains("| honest, honest peer ", "| forge-5-percent, honest peer ", "| forge-25-percent, colluding peer ",
                "lying peer 100.00% (3 of 3)", "lazy peer 100.00% (3 of 3)", "false positives 0: 0 of ");
        assertThat(out).containsPattern("\\| honest, lying peer +\\| +3 \\| +0 \\|");
        assertThat(out.strip()).containsPattern("detection=\\d+\\.\\d\\d% false_positive=0\\.00% overhead=\\d+\\.\\d\\d%$");

        String without = run("--honest", "2", "--cheat-tiles", "2", "--overhead-tiles", "0", "--other-config-tiles", "0",
                "--peer-tiles", "0");
        assertThat(without).doesNotContain("peer checks:", "lying peer").containsPattern("detection=.*overhead=");
    }

    @Test
    void aSampleThatMissesOnADivergedPathIsWidenedAndPassesWithThePeerConfirmingThatPixelWhileAForgeryFails() throws Exception {
        System.setProperty(Cheat.SWITCH, "true");
        Path file = Path.of("../samples/cornell-box/cornell-box.gltf");
        Scene scene = SceneImporter.importScene(Files.readAllBytes(file), "gltf");
        // pixel (192, 229) of frame 1 at 2 spp, 2 bounces: a path of the perturbed class takes another turn there; the
        // verifier's first draw lands on it, the others on pixels of the tile's first rows
        int diverged = (229 - 224) * 32;
        Random thatPixelFirst = new Random() {
            private int draws;

            @Override
            public int nextInt(int bound) {
                return draws++ == 0 ? diverged : draws % Math.min(bound, diverged);
            }
        };
        try (VulkanRenderer verifier = VulkanRenderer.open();
             ChildProcessRenderer workers = ChildProcessRenderer.start(file, PeerRows.WORKER_CLASS);
             ChildProcessRenderer peers = ChildProcessRenderer.start(file, PeerRows.PEER_CLASS)) {
            InProcessFarm farm = new InProcessFarm(scene, "bench-scene", new SpotCheck(verifier, 0, PixelComparison.DEFAULT,
                    thatPixelFirst));
            TileTask task = farm.task("peer", 1, 62, 1, new TileRect(192, 224, 32, 32), 256, 256, 2, 2, 20261126L);
            PeerRows rows = new PeerRows(farm, scene, verifier, peers);
            PeerTally t = new PeerTally("honest", Optional.empty(), BenchPeer.Behaviour.HONEST);
            TileProducer honest = new TileProducer(workers, farm.register("honest", Reputation.NEW));
            assertThat(rows.tile(t, honest, rows.peer(peers, "peer", BenchPeer.Behaviour.HONEST), task, false)).isTrue();
            assertThat(t.failedBySample).isZero();
            assertThat(t.sampledOutside).as("the diverged pixel, outside the tolerance").isEqualTo(1);
            assertThat(t.sampled).as("k and the wider sample of 2k").isEqualTo(3L * Reputation.NEW.sampledPixels());

            PeerTally f = new PeerTally("constant", Optional.of(Cheat.CONSTANT), BenchPeer.Behaviour.HONEST);
            TileProducer forger = new TileProducer(workers, farm.register("forger", Reputation.NEW), Optional.of(Cheat.CONSTANT), null,
                    new Random(1));
            assertThat(rows.tile(f, forger, rows.peer(peers, "peer-forger", BenchPeer.Behaviour.HONEST), task, false)).isFalse();
            assertThat(f.failedBySample).isEqualTo(1);
        }
    }
}
