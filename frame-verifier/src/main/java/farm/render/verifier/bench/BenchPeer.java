package farm.render.verifier.bench;

import farm.render.core.planning.TileRect;
import farm.render.core.scene.PosedFrames;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import farm.render.worker.daemon.TileProducer;
import farm.render.worker.daemon.WorkerIdentity;

/**
 * A peer of the benchmark: a worker of the equivalent class, another owner, answering peer checks through the worker's own
 * path ({@link TileProducer#peerCheck}), honestly or in one of the ways a peer may cheat.
 */
record BenchPeer(WorkerIdentity identity, TileProducer producer, Behaviour behaviour) {
    /** The worker's test-only switch that makes it report made-up pixels in peer checks. */
    static final String LYING_SWITCH = "farm.test.lieInPeerChecks";

    /** How a peer answers a check of a worker's tile. */
    enum Behaviour {
        /** Re-renders every pixel asked. */
        HONEST,
        /** Reports made-up pixels (the worker's lying switch). */
        LYING,
        /** Hands back the worker's uploaded values for pixels of its tile and re-renders the others honestly. */
        COLLUDING,
        /** Copies the worker's uploaded values; for a pixel outside the tile, the nearest pixel of the tile. */
        LAZY
    }

    BenchPeer(WorkerIdentity identity, TileProducer producer) {
        this(identity, producer, Behaviour.HONEST);
    }

    boolean honest() {
        return behaviour == Behaviour.HONEST;
    }

    /** This peer's signed report on {@code check}, a check of a tile at {@code rect} the worker uploaded as {@code tile}. */
    PeerCheckReport report(PeerCheckAssignment check, PosedFrames.Frame frame, TileRect rect, float[] tile) {
        return switch (behaviour) {
            case HONEST -> producer.peerCheck(check, frame);
            case LYING -> lying(check, frame);
            case COLLUDING -> signed(check, colluding(check, frame, rect, tile));
            case LAZY -> signed(check, copied(check.xy(), rect, tile, new float[check.pixelCount() * 3]));
        };
    }

    private PeerCheckReport lying(PeerCheckAssignment check, PosedFrames.Frame frame) {
        System.setProperty(LYING_SWITCH, "true"); // the benchmark runs one peer at a time
        try {
            return producer.peerCheck(check, frame);
        } finally {
            System.clearProperty(LYING_SWITCH);
        }
    }

    private float[] colluding(PeerCheckAssignment check, PosedFrames.Frame frame, TileRect rect, float[] tile) {
        int[] xy = check.xy();
        int outside = 0;
        for (int i = 0; i < check.pixelCount(); i++) {
            outside += inside(rect, xy[2 * i], xy[2 * i + 1]) ? 0 : 1;
        }
        int[] others = new int[outside * 2];
        for (int i = 0, o = 0; i < check.pixelCount(); i++) {
            if (!inside(rect, xy[2 * i], xy[2 * i + 1])) {
                others[o++] = xy[2 * i];
                others[o++] = xy[2 * i + 1];
            }
        }
        float[] rendered = outside == 0 ? new float[0] : producer.peerCheck(new PeerCheckAssignment(check.checkId(),
                check.sceneDigest(), check.sceneUrl(), check.rendererVersion(), check.imageWidth(), check.imageHeight(),
                check.frame(), check.spp(), check.maxBounces(), check.seed(), check.clampIndirect(), others), frame).rgb();
        float[] rgb = copied(xy, rect, tile, new float[check.pixelCount() * 3]);
        for (int i = 0, o = 0; i < check.pixelCount(); i++) {
            if (!inside(rect, xy[2 * i], xy[2 * i + 1])) {
                System.arraycopy(rendered, 3 * o++, rgb, 3 * i, 3);
            }
        }
        return rgb;
    }

    /** The worker's value of each pixel, or of the tile's pixel nearest to it. */
    private static float[] copied(int[] xy, TileRect rect, float[] tile, float[] rgb) {
        for (int i = 0; i < xy.length / 2; i++) {
            int x = Math.min(Math.max(xy[2 * i], rect.x()), rect.x() + rect.width() - 1) - rect.x();
            int y = Math.min(Math.max(xy[2 * i + 1], rect.y()), rect.y() + rect.height() - 1) - rect.y();
            System.arraycopy(tile, (y * rect.width() + x) * 3, rgb, 3 * i, 3);
        }
        return rgb;
    }

    static boolean inside(TileRect rect, int x, int y) {
        return x >= rect.x() && x < rect.x() + rect.width() && y >= rect.y() && y < rect.y() + rect.height();
    }

    private PeerCheckReport signed(PeerCheckAssignment check, float[] rgb) {
        return new PeerCheckReport(check.checkId(), identity.workerId(), rgb, null).signed(identity.keys().getPrivate());
    }
}
