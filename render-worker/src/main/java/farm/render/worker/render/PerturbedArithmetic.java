package farm.render.worker.render;

/**
 * A test-only switch that makes this renderer a different numerical class: with the system property
 * {@code farm.test.perturbLastBit=true} or the environment variable {@code FARM_TEST_PERTURB_LAST_BIT=1}, the shader is
 * compiled with {@code R_PERTURB_LAST_BIT} defined, which flips the last bit of every reciprocal (repro.glsl rRcp), and the
 * device's driver info says so, so it reports another numerical class. Benches and tests use it to stand for a device
 * whose arithmetic really differs; no deployment sets it.
 */
final class PerturbedArithmetic {
    static final String PROPERTY = "farm.test.perturbLastBit";
    static final String VARIABLE = "FARM_TEST_PERTURB_LAST_BIT";

    private PerturbedArithmetic() {
    }

    static boolean on() {
        return Boolean.getBoolean(PROPERTY) || "1".equals(System.getenv(VARIABLE));
    }

    /** The shader source, with the define after its {@code #version} line when the switch is on. */
    static String apply(String source) {
        if (!on()) {
            return source;
        }
        int line = source.indexOf('\n') + 1;
        return source.substring(0, line) + "#define R_PERTURB_LAST_BIT 1\n" + source.substring(line);
    }
}
