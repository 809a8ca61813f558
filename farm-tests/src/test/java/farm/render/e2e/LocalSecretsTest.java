package farm.render.e2e;

import farm.render.core.credentials.ApiTokens;
import farm.render.stack.services.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What another user of the machine running the local stack can learn, and what the coordinator's
 * database login can do: the running farm's secrets are in private files only, on no command line,
 * and the coordinator cannot rewrite the ledger.
 */
@ExtendWith(SharedFarm.class)
class LocalSecretsTest {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    Path work;
    /** Each secret of the running farm, by the file that keeps it. */
    Map<Path, String> secrets;

    @BeforeEach
    void collectSecrets() throws IOException {
        work = SharedFarm.stack().workDir();
        secrets = new LinkedHashMap<>();
        secrets.put(work.resolve(ApiTokens.LOCAL_STACK_FILE), read(work.resolve(ApiTokens.LOCAL_STACK_FILE)));
        for (String role : List.of(Database.SUPERUSER, Database.OWNER, Database.APP)) {
            Path file = work.resolve("postgres/" + role + ".password");
            secrets.put(file, read(file));
        }
        secrets.put(work.resolve("s3/credential"), read(work.resolve("s3/credential")));
        Path kafkaLogin = work.resolve("kafka/service-login.properties");
        secrets.put(kafkaLogin, properties(kafkaLogin).getProperty("password"));
        try (Stream<Path> keys = Files.list(work.resolve("keys"))) {
            for (Path key : keys.filter(p -> p.toString().endsWith(".key")).toList()) {
                secrets.put(key, properties(key).getProperty("private"));
            }
        }
        assertThat(secrets.values()).doesNotContainNull().allSatisfy(s -> assertThat(s).hasSizeGreaterThanOrEqualTo(20));
        assertThat(secrets.keySet()).anyMatch(p -> p.toString().endsWith(".key"));
    }

    @Test
    void noFileOrFolderHoldingASecretIsOpenToOtherUsers() throws IOException {
        for (String dir : List.of("", "postgres", "s3", "kafka", "keys", "logs")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve(dir))))
                    .as("folder " + work.resolve(dir)).isEqualTo("rwx------");
        }
        List<Path> named = new ArrayList<>(secrets.keySet());
        named.addAll(List.of(work.resolve("s3/s3proxy.conf"), work.resolve("kafka/server.properties")));
        for (Path file : named) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
        }
        List<String> open = new ArrayList<>();
        for (Path file : filesHoldingAny(work, List.copyOf(secrets.values()))) {
            if (!java.util.Collections.disjoint(Files.getPosixFilePermissions(file), GROUP_OR_OTHERS)) {
                open.add(file + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        }
        assertThat(open).as("files holding a secret that others may read").isEmpty();
        assertThat(work.resolve("kafka/format.log")).doesNotExist();
    }

    @Test
    void noProcessOfTheFarmHasASecretOnItsCommandLine() {
        List<String> exposed = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String cmdline = cmdline(p.pid());
            secrets.forEach((file, secret) -> {
                if (cmdline.contains(secret)) {
                    exposed.add("pid " + p.pid() + " shows the secret of " + file + ": " + cmdline);
                }
            });
        });
        assertThat(exposed).isEmpty();
        // the check reads real command lines: the coordinator's is among them
        assertThat(SharedFarm.stack().pids()).anySatisfy(pid -> assertThat(cmdline(pid)).contains("quarkus-run.jar"));
    }

    @Test
    void theDatabaseRefusesTheDefaultPasswordAndTheCoordinatorsLoginCannotRewriteTheLedger() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
        assertThat(secrets.get(work.resolve("postgres/postgres.password"))).isNotEqualTo("postgres");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");

        Set<String> coordinatorLogins = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(url, Database.SUPERUSER, secrets.get(work.resolve("postgres/postgres.password")));
             Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT DISTINCT usename FROM pg_stat_activity"
                    + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                while (r.next()) {
                    coordinatorLogins.add(r.getString(1));
                }
            }
            assertThat(coordinatorLogins).as("logins the coordinator holds connections with").containsExactly(Database.APP);
            try (ResultSet r = s.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = '" + Database.APP + "'")) {
                assertThat(r.next()).isTrue();
                assertThat(List.of(r.getBoolean(1), r.getBoolean(2), r.getBoolean(3), r.getBoolean(4))).containsOnly(false);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT has_table_privilege(?, ?, ?)")) {
                for (String table : List.of("ledger_postings", "ledger_entries", "tile_payments", "tile_slashes")) {
                    assertThat(privilege(p, table, "SELECT")).as(table + " SELECT").isTrue();
                    assertThat(privilege(p, table, "INSERT")).as(table + " INSERT").isTrue();
                    assertThat(privilege(p, table, "UPDATE")).as(table + " UPDATE").isFalse();
                    assertThat(privilege(p, table, "DELETE")).as(table + " DELETE").isFalse();
                    assertThat(privilege(p, table, "TRUNCATE")).as(table + " TRUNCATE").isFalse();
                }
                assertThat(privilege(p, "jobs", "UPDATE")).isTrue();
            }
        }

        // whoever holds the coordinator's login, as a compromised coordinator would
        try (Connection c = DriverManager.getConnection(url, Database.APP, secrets.get(work.resolve("postgres/" + Database.APP + ".password")));
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE ledger_postings SET amount = amount * 2"))
                    .hasMessageContaining("permission denied for table ledger_postings");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM ledger_entries"))
                    .hasMessageContaining("permission denied for table ledger_entries");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM flyway_schema_history"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("ALTER ROLE " + Database.APP + " SUPERUSER")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("CREATE ROLE intruder LOGIN")).hasMessageContaining("permission denied");
        }
    }

    private static boolean privilege(PreparedStatement p, String table, String privilege) throws SQLException {
        p.setString(1, Database.APP);
        p.setString(2, table);
        p.setString(3, privilege);
        try (ResultSet r = p.executeQuery()) {
            r.next();
            return r.getBoolean(1);
        }
    }

    private int port() {
        try {
            return Integer.parseInt(properties(work.resolve("postgres/ports.properties")).getProperty("postgres"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.ISO_8859_1).replace('\0', ' ');
        } catch (IOException | java.io.UncheckedIOException e) {
            return ""; // gone, or another user's
        }
    }

    /** Files under {@code dir} whose bytes contain one of {@code secrets} in plain text. */
    private static List<Path> filesHoldingAny(Path dir, List<String> secrets) throws IOException {
        List<Path> holding = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> all = Files.walk(dir)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            try {
                if (Files.size(f) > 64L << 20) {
                    continue;
                }
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (secrets.stream().anyMatch(text::contains)) {
                    holding.add(f);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // a service's temporary file, gone since the walk
            }
        }
        return holding;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
