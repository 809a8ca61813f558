package farm.render.core.identity;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a signature or hash covers: a domain tag, then each field in a fixed order, strings
 * length-prefixed (UTF-8) and numbers big-endian, so no two different records share an encoding and
 * a signature for one kind of record never verifies as another. Absent strings encode as length -1.
 */
public final class CanonicalBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    private CanonicalBytes(String domain) {
        text(domain);
    }

    /** Starts a record of the given kind, e.g. {@code "render-farm/task/v1"}. */
    public static CanonicalBytes of(String domain) {
        return new CanonicalBytes(domain);
    }

    public CanonicalBytes text(String s) {
        if (s == null) {
            return int32(-1);
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int32(b.length);
        out.writeBytes(b);
        return this;
    }

    public CanonicalBytes int32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
        return this;
    }

    public CanonicalBytes int64(long v) {
        out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
