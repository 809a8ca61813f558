package farm.render.worker.daemon;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Values by key, each with a size in bytes, holding at most {@code limit} bytes in all: adding one
 * evicts the least recently used until the rest fits. A value larger than the whole limit is not kept.
 */
final class ByteLru<V> {
    private record Sized<V>(V value, long bytes) {
    }

    private final long limit;
    private final Map<String, Sized<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    ByteLru(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
    }

    synchronized Optional<V> get(String key) {
        Sized<V> e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    /** Keeps {@code value} if it fits the limit at all; returns whether it was kept. */
    synchronized boolean put(String key, V value, long size) {
        Sized<V> old = entries.remove(key);
        if (old != null) {
            bytes -= old.bytes();
        }
        if (size > limit) {
            return false;
        }
        Iterator<Sized<V>> eldest = entries.values().iterator();
        while (bytes + size > limit && eldest.hasNext()) {
            bytes -= eldest.next().bytes();
            eldest.remove();
        }
        entries.put(key, new Sized<>(value, size));
        bytes += size;
        return true;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized boolean contains(String key) {
        return entries.containsKey(key);
    }
}
