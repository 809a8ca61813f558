package farm.render.worker.daemon;

/**
 * A test-only switch that makes a worker a lying peer: with the system property {@code farm.test.lieInPeerChecks=true} or
 * the environment variable {@code FARM_TEST_LIE_IN_PEER_CHECKS=1}, it reports made-up pixels for every peer check
 * instead of rendering them. Tests and benches use it to show that such a peer is caught and slashed; no deployment sets it.
 */
final class LyingPeer {
    static final String PROPERTY = "farm.test.lieInPeerChecks";
    static final String VARIABLE = "FARM_TEST_LIE_IN_PEER_CHECKS";

    private LyingPeer() {
    }

    static boolean on() {
        return Boolean.getBoolean(PROPERTY) || "1".equals(System.getenv(VARIABLE));
    }

    /** A plausible-looking grey for each pixel, rendered by nobody. */
    static float[] made(int pixels) {
        float[] rgb = new float[pixels * 3];
        java.util.Arrays.fill(rgb, 0.5f);
        return rgb;
    }
}
