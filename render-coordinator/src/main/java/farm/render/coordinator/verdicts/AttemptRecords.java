package farm.render.coordinator.verdicts;

import farm.render.core.wire.TileVerdict;
import farm.render.core.wire.WireJson;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The verdict history a worker's reputation is computed from: one row per (tile, attempt), with
 * whether a failure is attributable to the worker and the sampled pixels as evidence.
 */
final class AttemptRecords {
    private AttemptRecords() {
    }

    static void record(Connection c, TileVerdict v) throws SQLException {
        recordAll(c, List.of(v));
    }

    /** How many of the tile's attempts failed verification, in any generation. */
    static int failures(Connection c, String jobId, int frame, int tile) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM tile_attempts WHERE job_id = ? AND frame = ? AND tile = ? AND NOT passed")) {
            s.setString(1, jobId);
            s.setInt(2, frame);
            s.setInt(3, tile);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** Records each verdict's attempt; an attempt recorded before keeps its first record. */
    static void recordAll(Connection c, List<TileVerdict> verdicts) throws SQLException {
        if (verdicts.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO tile_attempts (job_id, frame, tile, attempt, worker_id, passed, reason, pixels_checked, pixels_mismatched,
                                           attributable, evidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
            for (TileVerdict v : verdicts) {
                s.setString(1, v.jobId());
                s.setInt(2, v.frame());
                s.setInt(3, v.tile());
                s.setInt(4, v.attempt());
                s.setString(5, v.workerId());
                s.setBoolean(6, v.passed());
                s.setString(7, v.reason() == null ? "" : v.reason());
                s.setInt(8, v.pixelsChecked());
                s.setInt(9, v.pixelsMismatched());
                s.setBoolean(10, v.passed() || v.attributable());
                s.setString(11, v.evidence().isEmpty() ? null : new String(WireJson.encode(v.evidence()), StandardCharsets.UTF_8));
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
