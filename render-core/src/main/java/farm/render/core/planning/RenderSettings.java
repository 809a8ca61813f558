package farm.render.core.planning;

import java.util.ArrayList;
import java.util.List;

/**
 * What a job asks of every frame: resolution, samples per pixel, bounce limit, tile size, the job
 * seed every pixel's random numbers derive from, and an optional clamp of indirect sample radiance.
 * Out-of-range values are refused here, once.
 *
 * @param clampIndirect largest radiance one indirect light sample may add per channel (fewer fireflies,
 *                      some energy lost); 0 means no clamp, the default
 */
public record RenderSettings(int width, int height, int spp, int maxBounces, int tileSize, long seed, float clampIndirect) {
    public static final int MAX_DIMENSION = 16_384;
    public static final int MAX_SPP = 65_536;
    public static final int MAX_BOUNCES = 64;
    public static final int MIN_TILE = 8;
    public static final int MAX_TILE = 1024;
    /** The tile side when a job names none: small enough to spread a frame over workers, large enough to amortise a task. */
    public static final int DEFAULT_TILE = 64;
    /** The path depth when a job names none. */
    public static final int DEFAULT_BOUNCES = 8;

    public RenderSettings {
        List<String> problems = problems(width, height, spp, maxBounces, tileSize);
        if (!(clampIndirect >= 0) || !Float.isFinite(clampIndirect)) {
            problems = new ArrayList<>(problems);
            problems.add("clampIndirect must be 0 (off) or a positive finite number");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Settings without a clamp. */
    public RenderSettings(int width, int height, int spp, int maxBounces, int tileSize, long seed) {
        this(width, height, spp, maxBounces, tileSize, seed, 0f);
    }

    /** Every reason these values cannot make a job, in words for the submitter; empty when they can. */
    public static List<String> problems(int width, int height, int spp, int maxBounces, int tileSize) {
        List<String> p = new ArrayList<>();
        if (width < 1 || width > MAX_DIMENSION) {
            p.add("width must be between 1 and " + MAX_DIMENSION);
        }
        if (height < 1 || height > MAX_DIMENSION) {
            p.add("height must be between 1 and " + MAX_DIMENSION);
        }
        if (spp < 1 || spp > MAX_SPP) {
            p.add("spp must be between 1 and " + MAX_SPP);
        }
        if (maxBounces < 1 || maxBounces > MAX_BOUNCES) {
            p.add("maxBounces must be between 1 and " + MAX_BOUNCES);
        }
        if (tileSize < MIN_TILE || tileSize > MAX_TILE) {
            p.add("tileSize must be between " + MIN_TILE + " and " + MAX_TILE);
        }
        return p;
    }

    /** Units of rendering work (pixel samples) in one tile: what a tile is priced by. */
    public long work(TileRect tile) {
        return (long) tile.pixelCount() * spp;
    }
}
