package farm.render.core.wire;

import farm.render.core.identity.CanonicalBytes;
import farm.render.core.identity.Ed25519;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;

/**
 * A worker's answer to a {@link ProbeAssignment}: the digest of each probe tile it rendered, in probe order, signed with
 * the worker's key so the record can be rechecked later.
 */
public record ProbeReport(String workerId, String classId, List<String> digests, String signature) {
    public ProbeReport {
        digests = digests == null ? null : List.copyOf(digests);
    }

    public byte[] signedBytes() {
        CanonicalBytes b = CanonicalBytes.of("render-farm/probe-report/v1").text(workerId).text(classId).int32(digests.size());
        digests.forEach(b::text);
        return b.bytes();
    }

    public ProbeReport signed(PrivateKey key) {
        return new ProbeReport(workerId, classId, digests, Ed25519.sign(key, signedBytes()));
    }

    public boolean verify(PublicKey key) {
        return signature != null && Ed25519.verify(key, signedBytes(), signature);
    }
}
