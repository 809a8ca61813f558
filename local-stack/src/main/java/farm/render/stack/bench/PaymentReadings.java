package farm.render.stack.bench;

import farm.render.stack.services.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/** A job's payments as the coordinator's database holds them: the harness counts rows, as no API counts them this finely. */
final class PaymentReadings {
    /** A job's payments and the ledger timestamps of its first and last one (null when none). */
    record Span(long count, double seconds, Timestamp first, Timestamp last) {
        /** Payments per second between the first and the last; 0 with fewer than two. */
        double perSecond() {
            return count > 1 ? (count - 1) / seconds : 0;
        }
    }

    private final Database db;

    PaymentReadings(Database db) {
        this.db = db;
    }

    long paidCount(String jobId) throws SQLException {
        try (Connection c = connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM tile_payments WHERE job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    Span span(String jobId) throws SQLException {
        try (Connection c = connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*), min(e.created_at), max(e.created_at) FROM tile_payments p "
                     + "JOIN ledger_entries e ON e.id = p.entry_id WHERE p.job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                Timestamp first = r.getTimestamp(2);
                Timestamp last = r.getTimestamp(3);
                double seconds = first == null ? 0 : (last.getTime() - first.getTime()) / 1000.0
                        + (last.getNanos() % 1_000_000 - first.getNanos() % 1_000_000) / 1e9;
                return new Span(r.getLong(1), seconds, first, last);
            }
        }
    }

    /** Ledger entries of any kind written within the span. */
    long ledgerEntries(Span span) throws SQLException {
        if (span.first() == null) {
            return 0;
        }
        try (Connection c = connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM ledger_entries WHERE created_at BETWEEN ? AND ?")) {
            s.setTimestamp(1, span.first());
            s.setTimestamp(2, span.last());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }
}
