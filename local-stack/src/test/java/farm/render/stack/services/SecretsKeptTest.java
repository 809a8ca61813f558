package farm.render.stack.services;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local services' own secrets: private files, nothing on a command line, no default database password. */
class SecretsKeptTest {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @Test
    void postgresRefusesTheDefaultPasswordAndItsCoordinatorLoginsHoldNoPowers(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("postgres");
        try (Database db = Database.start(work)) {
            assertThat(db.superuser().password()).isNotEqualTo("postgres").hasSizeGreaterThanOrEqualTo(24);
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "postgres", "postgres").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), Database.APP, "").close())
                    .isInstanceOf(SQLException.class);
            for (Database.Login login : List.of(db.owner(), db.app())) {
                try (Connection c = DriverManager.getConnection(db.jdbcUrl(), login.username(), login.password());
                     Statement s = c.createStatement()) {
                    try (ResultSet r = s.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user")) {
                        assertThat(r.next()).isTrue();
                        assertThat(List.of(r.getBoolean(1), r.getBoolean(2), r.getBoolean(3), r.getBoolean(4))).containsOnly(false);
                    }
                    assertThatThrownBy(() -> s.execute("CREATE ROLE intruder LOGIN PASSWORD 'x'"))
                            .hasMessageContaining("permission denied");
                    assertThatThrownBy(() -> s.execute("CREATE DATABASE elsewhere"))
                            .hasMessageContaining("permission denied");
                    assertThatThrownBy(() -> s.execute("ALTER ROLE " + login.username() + " SUPERUSER"))
                            .hasMessageContaining("must be superuser");
                }
            }
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), Database.APP, db.app().password());
                 Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("CREATE TABLE planted (v int)")).hasMessageContaining("permission denied");
            }
            assertOwnerOnly(work);
            assertThat(secretsOnCommandLines(List.of(db.superuser().password(), db.owner().password(), db.app().password()))).isEmpty();
        }
        // the passwords are kept: the second start logs in with them
        try (Database db = Database.start(work);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.owner().username(), db.owner().password())) {
            assertThat(c.isValid(2)).isTrue();
        }
    }

    @Test
    void aDatabaseFromBeforeTheRolesGetsPasswordsAndHandsItsTablesToTheOwner(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("postgres");
        try (var legacy = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(work.resolve("data")).setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(Files.createDirectories(work.resolve("binaries")).toFile()).start();
             Connection c = legacy.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id BIGSERIAL PRIMARY KEY, v INT); INSERT INTO kept (v) VALUES (42)");
        }
        try (Database db = Database.start(work)) {
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "postgres", "postgres").close())
                    .isInstanceOf(SQLException.class);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.owner().username(), db.owner().password());
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO kept (v) VALUES (43)");
                try (ResultSet r = s.executeQuery("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'kept'")) {
                    r.next();
                    assertThat(r.getString(1)).isEqualTo(Database.OWNER);
                }
            }
            assertOwnerOnly(work);
        }
    }

    @Test
    void s3proxyAndKafkaKeepTheirCredentialsInPrivateFilesAndOffCommandLines(@TempDir Path dir) throws Exception {
        Path s3dir = dir.resolve("s3");
        Path kafkaDir = dir.resolve("kafka");
        try (ObjectStore store = ObjectStore.start(s3dir, FarmLayout.locate().s3proxyJar());
             KafkaBroker broker = KafkaBroker.start(kafkaDir, FarmLayout.locate().kafkaLib())) {
            List<String> secrets = List.of(store.secretKey(), broker.login().password());
            assertThat(secretsOnCommandLines(secrets)).isEmpty();
            assertThat(Files.readString(s3dir.resolve("s3proxy.conf"))).contains(store.secretKey());
            assertThat(Files.readString(kafkaDir.resolve("server.properties"))).contains(broker.login().password());
            // the format tool's output echoes the SCRAM credential; its arguments hold the password
            assertThat(kafkaDir.resolve("format.log")).doesNotExist();
            assertThat(kafkaDir.resolve("format.args")).doesNotExist();
            assertOwnerOnly(s3dir);
            assertOwnerOnly(kafkaDir);
            assertThat(filesHolding(dir, secrets)).allSatisfy(f ->
                    assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).doesNotContainAnyElementsOf(GROUP_OR_OTHERS));
        }
    }

    /** The folder is 700 and each file directly in it that holds a secret is 600. */
    private static void assertOwnerOnly(Path dir) throws IOException {
        assertThat(Files.getPosixFilePermissions(dir)).as(dir.toString()).isEqualTo(SecretFiles.OWNER_ONLY_DIR);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".password") || name.equals("credential") || name.endsWith(".conf")
                        || name.equals("server.properties") || name.equals("service-login.properties")) {
                    assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).isEqualTo(SecretFiles.OWNER_ONLY_FILE);
                }
            }
        }
    }

    /** Files under {@code dir} whose bytes contain one of {@code secrets} in plain text. */
    static List<Path> filesHolding(Path dir, List<String> secrets) throws IOException {
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                if (Files.size(f) > 64L << 20) {
                    continue;
                }
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (secrets.stream().anyMatch(text::contains)) {
                    holding.add(f);
                }
            }
        } catch (java.io.UncheckedIOException e) {
            // a file removed while walking (a service's temporary file) holds nothing any more
        }
        return holding;
    }

    /** Command lines of this user's processes that contain one of {@code secrets}. */
    static List<String> secretsOnCommandLines(List<String> secrets) {
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"), StandardCharsets.ISO_8859_1).replace('\0', ' ');
                if (secrets.stream().anyMatch(cmdline::contains)) {
                    found.add(p.pid() + ": " + cmdline);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // gone, or another user's
            }
        });
        return found;
    }
}
