package farm.render.core.classes;

import farm.render.core.digest.Digests;
import farm.render.core.planning.TileRect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One of the fixed probe tiles a device renders to show its numerical class: a small tile of a sample scene at fixed
 * settings and seed. Probe {@code i} is the same tile everywhere, so two devices of equal arithmetic give the same
 * {@link #digest} for it, and any difference in a single bit gives another.
 *
 * @param sample the sample scene's name: {@code samples/NAME/NAME.gltf} under the farm's root
 */
public record ProbeTile(int index, String sample, int frame, int imageWidth, int imageHeight, TileRect rect, int spp,
                        int maxBounces, long seed) {
    /** The samples the probes cycle through: a textured one, glass and metal, and a closed room of diffuse bounces. */
    public static final List<String> SAMPLES = List.of("cornell-box", "texture-yard", "sphere-trio");
    /** Probes a set may hold at most: more than any class needs, and a bound on what a report may carry. */
    public static final int MAX_PROBES = 256;
    static final int IMAGE = 96;
    static final int SIZE = 16;

    /** Probe {@code index}: the samples in turn, each cut into 16×16 tiles of a 96×96 image, 16 samples, 4 bounces. */
    public static ProbeTile of(int index) {
        if (index < 0 || index >= MAX_PROBES) {
            throw new IllegalArgumentException("probe index must be in [0, " + MAX_PROBES + "), got " + index);
        }
        int cells = IMAGE / SIZE;
        int cell = (index / SAMPLES.size()) % (cells * cells);
        return new ProbeTile(index, SAMPLES.get(index % SAMPLES.size()), 0, IMAGE, IMAGE,
                new TileRect(cell % cells * SIZE, cell / cells * SIZE, SIZE, SIZE), 16, 4, 0x70726f6265L + index);
    }

    /** The first {@code count} probes, the set a class is proven with. */
    public static List<ProbeTile> first(int count) {
        return IntStream.range(0, count).mapToObj(ProbeTile::of).toList();
    }

    /** SHA-256 of the tile's float bits, little-endian, in the renderer's order: equal only when every bit is. */
    public static String digest(float[] rgb) {
        ByteBuffer bytes = ByteBuffer.allocate(rgb.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : rgb) {
            bytes.putInt(Float.floatToRawIntBits(f));
        }
        return Digests.sha256Hex(bytes.array());
    }
}
