package farm.render.core.scene;

/**
 * The heap an import child gets: a fixed part plus a bound per source byte, never above a ceiling, so a
 * small scene costs little memory and a large one what it needs up to what the machine allows.
 *
 * @param baseMb            the fixed part, for the JVM and the importer's own structures
 * @param perSourceByte     heap bytes per byte of the uploaded file
 * @param maxMb             the ceiling; an import that runs out at the ceiling is refused for the memory it needs
 */
public record ImportHeap(int baseMb, int perSourceByte, int maxMb) {
    public ImportHeap {
        if (baseMb < 16 || perSourceByte < 0 || maxMb < baseMb) {
            throw new IllegalArgumentException("import heap: base " + baseMb + " MiB, " + perSourceByte
                    + " bytes per source byte, at most " + maxMb + " MiB");
        }
    }

    /** The heap, in MiB, for a source of {@code sourceBytes}. */
    public int mbFor(long sourceBytes) {
        long wanted = baseMb + (Math.max(0, sourceBytes) * perSourceByte + (1L << 20) - 1 >> 20);
        return (int) Math.min(maxMb, wanted);
    }
}
