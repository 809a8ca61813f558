package farm.render.core.classes;

import farm.render.core.digest.Digests;
import farm.render.core.identity.CanonicalBytes;

import java.util.List;

/** One digest over a run of probe-tile digests in probe order: two runs agree bit for bit exactly when their fingerprints are equal. */
public final class ProbeFingerprint {
    private ProbeFingerprint() {
    }

    public static String of(List<String> digests) {
        CanonicalBytes b = CanonicalBytes.of("render-farm/probe-run/v1").int32(digests.size());
        digests.forEach(b::text);
        return Digests.sha256Hex(b.bytes());
    }
}
