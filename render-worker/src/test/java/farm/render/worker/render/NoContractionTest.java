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

    @Test
    void applyingTwiceAddsNothing() {
        byte[] once = ShaderCompiler.compileCompute(ShaderSource.load("path_trace.comp"), "path_trace.comp");
        assertEquals(once.length, NoContraction.apply(once).length);
    }
}
