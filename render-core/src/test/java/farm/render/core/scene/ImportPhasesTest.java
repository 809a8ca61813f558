package farm.render.core.scene;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The import child's step times: one line per import, appended, and nothing at all when no file is named. */
class ImportPhasesTest {
    @TempDir
    Path dir;

    @Test
    void eachImportAppendsOneLineNamingItsStepsTheCollectorAndTheCompiler() throws Exception {
        Path file = dir.resolve("phases.txt");
        for (int run = 0; run < 2; run++) {
            ImportPhases phases = ImportPhases.to(file);
            phases.step("read");
            phases.step("import");
            phases.write(1234, 256);
        }
        assertThat(Files.readAllLines(file)).hasSize(2).allSatisfy(line -> assertThat(line)
                .matches("1234 triangles, heap 256 MiB: jvm \\d+\\.\\d{3} read \\d+\\.\\d{3} import \\d+\\.\\d{3} gc \\d+\\.\\d{3} jit \\d+\\.\\d{3} rss -?\\d+ MiB"));
    }

    @Test
    void withoutAFileNothingIsWritten() {
        ImportPhases phases = ImportPhases.to(null);
        phases.step("read");
        phases.write(1, 256);
        assertThat(dir).isEmptyDirectory();
    }
}
