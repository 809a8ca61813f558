package farm.render.core.wire;

import farm.render.core.identity.CanonicalBytes;
import farm.render.core.identity.Ed25519;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A peer's answer to a {@link PeerCheckAssignment}: linear RGB of each assigned pixel, in assignment order, signed with
 * the peer's key over the exact float bits, so a lying peer's report is evidence against it.
 */
public record PeerCheckReport(long checkId, String workerId, float[] rgb, String signature) {
    public byte[] signedBytes() {
        CanonicalBytes b = CanonicalBytes.of("render-farm/peer-check/v1").int64(checkId).text(workerId)
                .int32(rgb == null ? -1 : rgb.length);
        if (rgb != null) {
            for (float v : rgb) {
                b.int32(Float.floatToRawIntBits(v));
            }
        }
        return b.bytes();
    }

    public PeerCheckReport signed(PrivateKey key) {
        return new PeerCheckReport(checkId, workerId, rgb, Ed25519.sign(key, signedBytes()));
    }

    public boolean verify(PublicKey key) {
        return signature != null && rgb != null && Ed25519.verify(key, signedBytes(), signature);
    }
}
