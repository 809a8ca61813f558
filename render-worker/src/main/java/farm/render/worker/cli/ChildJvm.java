package farm.render.worker.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM running one class of this process's own code, so a new environment can be set before any driver loads. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java -cp CLASSPATH MAIN}: this JVM's java, {@code classpath} as given. */
    public static List<String> command(String classpath, Class<?> main) {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, main.getName()));
    }

    /** Where {@code type} was loaded from: its jar (whose manifest brings its libraries), else this JVM's class path. */
    public static String classpathOf(Class<?> type) {
        try {
            Path source = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(source)) {
                return source.toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // the launch class path below
        }
        return System.getProperty("java.class.path");
    }
}
