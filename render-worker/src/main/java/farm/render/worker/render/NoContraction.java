package farm.render.worker.render;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks every float arithmetic result of a SPIR-V module NoContraction (GLSL {@code precise} on every
 * operation): Vulkan lets a compiler fuse a*b+c into one fma, rounded once, on devices that have it and
 * not on others, so without the mark the same shader gives different bits on different devices.
 * The decorations go at the end of the annotation section (SPIR-V 1.x, 2.4 "Logical Layout of a Module").
 */
final class NoContraction {
    static final int MAGIC = 0x07230203;
    static final int OP_DECORATE = 71;
    static final int DECORATION_NO_CONTRACTION = 42;
    private static final int HEADER_WORDS = 5;
    /** OpFNegate, OpFAdd, OpFSub, OpFMul, OpFDiv, OpFRem, OpFMod, the vector and matrix products, OpDot. */
    private static final int[] ARITHMETIC = {127, 129, 131, 133, 136, 140, 141, 142, 143, 144, 145, 146, 147, 148};
    /** Instructions that come before and in the annotation section: capabilities to debug names, decorations. */
    private static final int[] PREAMBLE = {
        17, 10, 11, 14, 15, 16, 331,          // capability, extension, ext-inst import, memory model, entry point, modes
        2, 3, 4, 5, 6, 7, 330, 8, 317,        // debug: source, names, strings, module-processed, lines
        71, 72, 73, 74, 75, 332, 5632, 5633,  // annotations
    };

    private NoContraction() {
    }

    /** The module with a NoContraction decoration on every float arithmetic result it lacks one on. */
    static byte[] apply(byte[] spirv) {
        int[] words = words(spirv);
        int end = annotationEnd(words);
        List<Integer> results = arithmeticResults(words);
        results.removeAll(decorated(words, end));
        int[] out = new int[words.length + 3 * results.size()];
        System.arraycopy(words, 0, out, 0, end);
        int o = end;
        for (int id : results) {
            out[o++] = (3 << 16) | OP_DECORATE;
            out[o++] = id;
            out[o++] = DECORATION_NO_CONTRACTION;
        }
        System.arraycopy(words, end, out, o, words.length - end);
        ByteBuffer bytes = ByteBuffer.allocate(out.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(out);
        return bytes.array();
    }

    /** Result ids of the module's float arithmetic instructions, in order. */
    static List<Integer> arithmeticResults(int[] words) {
        List<Integer> ids = new ArrayList<>();
        for (int i = HEADER_WORDS; i < words.length; i += words[i] >>> 16) {
            if (contains(ARITHMETIC, words[i] & 0xffff)) {
                ids.add(words[i + 2]);
            }
        }
        return ids;
    }

    /** Ids carrying a NoContraction decoration. */
    static List<Integer> decorated(int[] words, int end) {
        List<Integer> ids = new ArrayList<>();
        for (int i = HEADER_WORDS; i < end; i += words[i] >>> 16) {
            if ((words[i] & 0xffff) == OP_DECORATE && words[i + 2] == DECORATION_NO_CONTRACTION) {
                ids.add(words[i + 1]);
            }
        }
        return ids;
    }

    /** Word index of the first instruction after the annotation section (the first type or constant). */
    static int annotationEnd(int[] words) {
        int i = HEADER_WORDS;
        while (i < words.length && contains(PREAMBLE, words[i] & 0xffff)) {
            i += words[i] >>> 16;
        }
        return i;
    }

    static int[] words(byte[] spirv) {
        if (spirv.length % 4 != 0 || spirv.length < HEADER_WORDS * 4) {
            throw new IllegalArgumentException("not a SPIR-V module: " + spirv.length + " bytes");
        }
        IntBuffer in = ByteBuffer.wrap(spirv).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        int[] words = new int[in.remaining()];
        in.get(words);
        if (words[0] != MAGIC) {
            throw new IllegalArgumentException("not a little-endian SPIR-V module");
        }
        return words;
    }

    private static boolean contains(int[] set, int op) {
        for (int s : set) {
            if (s == op) {
                return true;
            }
        }
        return false;
    }
}
