package farm.render.worker.render;

import farm.render.core.identity.Ed25519;
import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.PosedFrames;
import farm.render.core.scene.Scene;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import farm.render.worker.daemon.TileProducer;
import farm.render.worker.daemon.WorkerIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer check on the real device: the pixels a peer reports are bit for bit the pixels of the checked worker's tile
 * (same class, same seeds), signed with the peer's key; the test-only lying switch makes it report pixels it did not render.
 */
class PeerCheckPixelsTest {
    private static final int SIZE = 32;

    @AfterEach
    void honestAgain() {
        System.clearProperty("farm.test.lieInPeerChecks");
    }

    private static PeerCheckAssignment check(int[] xy) {
        return new PeerCheckAssignment(7, "digest", "unused", "pt", SIZE, SIZE, 0, 4, 4, 42L, 0f, xy);
    }

    @Test
    void aPeerReportsTheTilesOwnPixelsSignedAndALyingPeerDoesNot() {
        Scene lit = TestScenes.boxWithCeilingLight(10f);
        KeyPair keys = Ed25519.generate();
        int[] xy = {4, 8, 27, 27, 16, 16, 15, 17, 4, 27};
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            TileRect rect = new TileRect(0, 0, SIZE, SIZE);
            TileImage tile = renderer.renderTile(lit, "lit-box", new FrameRequest(SIZE, SIZE, 0, 4, 4, 42L, 0f), rect);
            TileProducer peer = new TileProducer(renderer, new WorkerIdentity("peer", keys));
            PosedFrames.Frame frame = new PosedFrames.Frame(lit, "lit-box");

            PeerCheckReport report = peer.peerCheck(check(xy), frame);
            assertThat(report.verify(keys.getPublic())).isTrue();
            assertThat(report.checkId()).isEqualTo(7);
            for (int i = 0; i < xy.length / 2; i++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(Float.floatToIntBits(report.rgb()[i * 3 + c]))
                            .isEqualTo(Float.floatToIntBits(tile.channel(xy[2 * i], xy[2 * i + 1], c)));
                }
            }

            System.setProperty("farm.test.lieInPeerChecks", "true");
            PeerCheckReport lie = peer.peerCheck(check(xy), frame);
            assertThat(lie.verify(keys.getPublic())).isTrue();
            assertThat(lie.rgb()).isNotEqualTo(report.rgb());
        }
    }
}
