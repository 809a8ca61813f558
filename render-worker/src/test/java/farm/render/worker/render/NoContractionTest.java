package farm.render.worker.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The path tracer as compiled leaves no float operation a device may fuse. */
class NoContractionTest {
    @Test
    void everyFloatArithmeticResultOfThePathTracerIsNoContraction() {
        int[] words = NoContraction.words(ShaderCompiler.compileCompute(ShaderSource.load("path_trace.comp"), "path_trace.comp"));
        List<Integer> results = NoContraction.arithmeticResults(words);
        Set<Integer> decorated = new HashSet<>(NoContraction.decorated(words, NoContraction.annotationEnd(words)));
        assertTrue(results.size() > 100, "the path tracer has float arithmetic: " + results.size());
        for (int id : results) {
            assertTrue(decorated.contains(id), "result %" + id + " may be contracted");
        }
    }

    /** GLSL.std.450 instructions exact on every device: abs, sign, floor, ceil, trunc, fract, min, max, clamp. */
    private static final Set<Integer> EXACT_EXTENDED = Set.of(3, 4, 5, 6, 7, 8, 9, 10, 37, 38, 39, 40, 41, 42, 43, 44, 45,
            73, 74, 75, 79, 80, 81);

    @Test
    void thePathTracerUsesNoDivisionNorAnyExtendedInstructionWhosePrecisionIsLoose() {
        int[] words = NoContraction.words(ShaderCompiler.compileCompute(ShaderSource.load("path_trace.comp"), "path_trace.comp"));
        for (int i = 5; i < words.length; i += words[i] >>> 16) {
            int op = words[i] & 0xffff;
            assertTrue(op != 136 && op != 148, "the module divides or takes a dot product with OpFDiv/OpDot at word " + i);
            if (op == 12) {
                assertTrue(EXACT_EXTENDED.contains(words[i + 4]), "GLSL.std.450 instruction " + words[i + 4] + " at word " + i);
            }
        }
    }

    @Test
    void applyingTwiceAddsNothing() {
        byte[] once = ShaderCompiler.compileCompute(ShaderSource.load("path_trace.comp"), "path_trace.comp");
        assertEquals(once.length, NoContraction.apply(once).length);
    }
}
