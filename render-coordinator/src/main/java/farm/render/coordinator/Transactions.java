package farm.render.coordinator;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;

/** Plain JDBC transactions: one connection, commit on success, rollback on any failure, retry on conflicts. */
@ApplicationScoped
public class Transactions {
    private static final int MAX_RETRIES = 5;

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    public Transactions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T inTransaction(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                // serialization failure or deadlock: the other transaction won, run again on fresh state
                if (attempt < MAX_RETRIES && ("40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()))) {
                    continue;
                }
                throw new DatabaseException(e);
            }
        }
    }

    /** A database failure nobody can act on but an operator; the API answers 503. */
    public static class DatabaseException extends RuntimeException {
        public DatabaseException(SQLException cause) {
            super("database: " + cause.getMessage(), cause);
        }
    }
}
