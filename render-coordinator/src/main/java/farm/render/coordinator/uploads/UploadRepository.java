package farm.render.coordinator.uploads;

import farm.render.coordinator.uploads.UploadSession.UploadState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The {@code uploads} table. */
final class UploadRepository {
    private static final String COLUMNS = "id, account, filename, extension, size_bytes, sha256, fingerprint, part_size,"
            + " part_count, object_key, s3_upload_id, state, scene_digest, reason";

    private UploadRepository() {
    }

    static void insert(Connection c, UploadSession u) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO uploads (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, u.id());
            s.setString(2, u.account());
            s.setString(3, u.filename());
            s.setString(4, u.extension());
            s.setLong(5, u.size());
            s.setString(6, u.sha256().orElse(null));
            s.setString(7, u.fingerprint().orElse(null));
            s.setLong(8, u.partSize());
            s.setInt(9, u.partCount());
            s.setString(10, u.objectKey());
            s.setString(11, u.storeUploadId());
            s.setString(12, u.state().name());
            s.setString(13, u.sceneDigest().orElse(null));
            s.setString(14, u.reason().orElse(null));
            s.executeUpdate();
        }
    }

    /** The account's upload {@code id}; empty for another account's. */
    static Optional<UploadSession> find(Connection c, String account, String id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM uploads WHERE account = ? AND id = ?", account, id);
    }

    /** The account's unfinished upload of the file with this fingerprint, if any. */
    static Optional<UploadSession> findOpen(Connection c, String account, String fingerprint) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM uploads WHERE account = ? AND fingerprint = ? AND state IN ('OPEN', 'COMPLETING')",
                account, fingerprint);
    }

    /** Moves the upload from {@code from} to {@code to}; false when it was not in {@code from}. */
    static boolean transition(Connection c, String id, UploadState from, UploadState to, String sceneDigest, String reason)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE uploads SET state = ?, scene_digest = COALESCE(?, scene_digest),"
                + " reason = ?, updated_at = now() WHERE id = ? AND state = ?")) {
            s.setString(1, to.name());
            s.setString(2, sceneDigest);
            s.setString(3, reason);
            s.setString(4, id);
            s.setString(5, from.name());
            return s.executeUpdate() == 1;
        }
    }

    private static Optional<UploadSession> one(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new UploadSession(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getLong(5), Optional.ofNullable(r.getString(6)), Optional.ofNullable(r.getString(7)), r.getLong(8),
                        r.getInt(9), r.getString(10), r.getString(11), UploadState.valueOf(r.getString(12)),
                        Optional.ofNullable(r.getString(13)), Optional.ofNullable(r.getString(14))));
            }
        }
    }
}
