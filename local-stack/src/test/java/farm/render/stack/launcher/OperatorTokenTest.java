package farm.render.stack.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The local stack's operator token: made once per work directory, readable by its owner only, then reused. */
class OperatorTokenTest {
    @Test
    void theFirstStartMakesAPrivateTokenAndLaterStartsReuseIt(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("farm");
        String token = LocalStack.operatorToken(work);
        assertThat(token).startsWith("rf_").hasSize(3 + 43);
        Path file = work.resolve("operator.token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LocalStack.operatorToken(work)).isEqualTo(token);
        assertThat(LocalStack.operatorToken(dir.resolve("other"))).isNotEqualTo(token);
        assertThat(LocalStack.coordinatorEnvironment(token)).containsEntry("FARM_BOOTSTRAP_TOKEN", token);
    }
}
