package farm.render.worker.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GLSL sources from the classpath folder {@code shaders/}, with {@code #include "file.glsl"} lines
 * replaced textually (each file once), so shaderc sees one translation unit.
 */
final class ShaderSource {
    static final String ROOT = "shaders/";
    private static final Pattern INCLUDE = Pattern.compile("^\\s*#include\\s+\"([A-Za-z0-9_./-]+)\"\\s*$");

    private ShaderSource() {
    }

    /** The entry file with every include expanded. */
    static String load(String entry) {
        StringBuilder out = new StringBuilder();
        expand(entry, new HashSet<>(), out);
        return out.toString();
    }

    private static void expand(String file, Set<String> seen, StringBuilder out) {
        if (!seen.add(file)) {
            return;
        }
        for (String line : read(file).split("\n", -1)) {
            Matcher m = INCLUDE.matcher(line);
            if (m.matches()) {
                out.append("// begin ").append(m.group(1)).append('\n');
                expand(m.group(1), seen, out);
                out.append("// end ").append(m.group(1)).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
    }

    private static String read(String file) {
        try (InputStream in = ShaderSource.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("shader source " + ROOT + file + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
