package farm.render.coordinator.classes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.core.classes.NumericalFacts;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of numerical classes: classes and who reported them, the verifier's reference, probe runs. */
final class ClassStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassStore() {
    }

    /** The reference for a renderer version: the verifier's class and its probe digests. */
    record Reference(String classId, List<String> digests, String fingerprint) {
    }

    /** A probe run as issued (and maybe reported). */
    record Run(String classId, String owner, int probeCount, boolean reported, String rendererVersion) {
    }

    /** Adds the class or marks it seen. */
    static void upsertClass(Connection c, NumericalFacts facts) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO numerical_classes (id, renderer_version, facts) VALUES (?, ?, ?::jsonb)
                ON CONFLICT (id) DO UPDATE SET last_seen_at = now()""")) {
            s.setString(1, facts.classId());
            s.setString(2, facts.rendererVersion());
            s.setString(3, json(facts));
            s.executeUpdate();
        }
    }

    /** Records that the worker, of this owner, renders in the class; false when no such worker is registered. */
    static boolean assign(Connection c, String workerId, String owner, String classId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE workers SET numerical_class = ? WHERE id = ?")) {
            s.setString(1, classId);
            s.setString(2, workerId);
            if (s.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO numerical_class_workers (class_id, worker_id, owner) VALUES (?, ?, ?)
                ON CONFLICT (class_id, worker_id) DO UPDATE SET reported_at = now(), owner = EXCLUDED.owner""")) {
            s.setString(1, classId);
            s.setString(2, workerId);
            s.setString(3, owner);
            s.executeUpdate();
        }
        return true;
    }

    static void setReference(Connection c, NumericalFacts facts, List<String> digests, String fingerprint) throws SQLException {
        upsertClass(c, facts);
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO probe_references (renderer_version, class_id, probe_count, digests, fingerprint) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (renderer_version) DO UPDATE SET class_id = EXCLUDED.class_id, probe_count = EXCLUDED.probe_count,
                    digests = EXCLUDED.digests, fingerprint = EXCLUDED.fingerprint, set_at = now()""")) {
            s.setString(1, facts.rendererVersion());
            s.setString(2, facts.classId());
            s.setInt(3, digests.size());
            s.setArray(4, c.createArrayOf("text", digests.toArray()));
            s.setString(5, fingerprint);
            s.executeUpdate();
        }
    }

    /** The reference class of each renderer version. */
    static Map<String, String> references(Connection c) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT renderer_version, class_id FROM probe_references ORDER BY renderer_version");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    static Optional<Reference> reference(Connection c, String rendererVersion) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT class_id, digests, fingerprint FROM probe_references WHERE renderer_version = ?")) {
            s.setString(1, rendererVersion);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Reference(r.getString(1), texts(r.getArray(2)), r.getString(3))) : Optional.empty();
            }
        }
    }

    /**
     * The probe run this worker owes now, issued (or issued again once {@code reissueSeconds} passed unanswered): its class
     * and probe count; empty when the worker reported no class, the class has no reference, is the reference's, or the
     * worker's run is reported or recently issued. Whether the class is already proven is the caller's question.
     */
    static Optional<Run> owedRun(Connection c, String workerId, long reissueSeconds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT w.numerical_class, cw.owner, r.probe_count, c.renderer_version
                FROM workers w
                JOIN numerical_classes c ON c.id = w.numerical_class
                JOIN numerical_class_workers cw ON cw.class_id = w.numerical_class AND cw.worker_id = w.id
                JOIN probe_references r ON r.renderer_version = c.renderer_version AND r.class_id <> c.id
                LEFT JOIN probe_runs p ON p.worker_id = w.id AND p.class_id = w.numerical_class
                WHERE w.id = ? AND (p.worker_id IS NULL
                    OR (p.reported_at IS NULL AND p.issued_at < now() - make_interval(secs => ?)))""")) {
            s.setString(1, workerId);
            s.setLong(2, reissueSeconds);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Run(r.getString(1), r.getString(2), r.getInt(3), false, r.getString(4)))
                        : Optional.empty();
            }
        }
    }

    static void issue(Connection c, String workerId, Run run) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO probe_runs (worker_id, class_id, owner, probe_count) VALUES (?, ?, ?, ?)
                ON CONFLICT (worker_id, class_id) DO UPDATE SET issued_at = now(), probe_count = EXCLUDED.probe_count
                WHERE probe_runs.reported_at IS NULL""")) {
            s.setString(1, workerId);
            s.setString(2, run.classId());
            s.setString(3, run.owner());
            s.setInt(4, run.probeCount());
            s.executeUpdate();
        }
    }

    /** The worker's run for the class, locked for its report. */
    static Optional<Run> runForUpdate(Connection c, String workerId, String classId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT p.owner, p.probe_count, p.reported_at IS NOT NULL, c.renderer_version
                FROM probe_runs p JOIN numerical_classes c ON c.id = p.class_id
                WHERE p.worker_id = ? AND p.class_id = ? FOR UPDATE OF p""")) {
            s.setString(1, workerId);
            s.setString(2, classId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Run(classId, r.getString(1), r.getInt(2), r.getBoolean(3), r.getString(4)))
                        : Optional.empty();
            }
        }
    }

    static void report(Connection c, String workerId, String classId, List<String> digests, String fingerprint, int mismatches,
                       String signature) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE probe_runs SET reported_at = now(), digests = ?, fingerprint = ?, mismatches = ?, signature = ?
                WHERE worker_id = ? AND class_id = ?""")) {
            s.setArray(1, c.createArrayOf("text", digests.toArray()));
            s.setString(2, fingerprint);
            s.setInt(3, mismatches);
            s.setString(4, signature);
            s.setString(5, workerId);
            s.setString(6, classId);
            s.executeUpdate();
        }
    }

    /**
     * Classes, most recently seen first (at most {@code limit}), with their derived standing; or the one class {@code only},
     * for its status alone (no equivalences).
     */
    static List<NumericalClass> classes(Connection c, Optional<String> only, int provingOwners, boolean withReporters, int limit)
            throws SQLException {
        Map<String, List<String>> equivalent = only.isPresent() ? Map.of() : equivalences(c);
        Map<String, List<NumericalClass.Reporter>> reporters = withReporters ? reporters(c, only) : Map.of();
        List<NumericalClass> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT c.id, c.facts::text, c.first_seen_at, c.last_seen_at, COALESCE(r.class_id = c.id, FALSE),
                  (SELECT count(*) FROM numerical_class_workers w WHERE w.class_id = c.id),
                  (SELECT count(DISTINCT owner) FROM numerical_class_workers w WHERE w.class_id = c.id),
                  (SELECT count(*) FROM probe_runs p WHERE p.class_id = c.id AND p.fingerprint IS NOT NULL),
                  (SELECT count(DISTINCT p.owner) FROM probe_runs p WHERE p.class_id = c.id
                      AND p.fingerprint = r.fingerprint AND p.probe_count = r.probe_count),
                  (SELECT count(*) FROM probe_runs p WHERE p.class_id = c.id AND p.fingerprint IS NOT NULL
                      AND p.probe_count = r.probe_count AND p.fingerprint <> r.fingerprint)
                FROM numerical_classes c LEFT JOIN probe_references r ON r.renderer_version = c.renderer_version
                WHERE (?::text IS NULL OR c.id = ?) ORDER BY c.last_seen_at DESC, c.id LIMIT ?""")) {
            s.setString(1, only.orElse(null));
            s.setString(2, only.orElse(null));
            s.setInt(3, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    int matching = r.getInt(9);
                    int differing = r.getInt(10);
                    ClassStatus status = r.getBoolean(5) ? ClassStatus.REFERENCE
                            : matching >= provingOwners && differing == 0 ? ClassStatus.PROVEN : ClassStatus.UNPROVEN;
                    out.add(new NumericalClass(id, facts(r.getString(2)), status, r.getInt(6), r.getInt(7), r.getInt(8), matching,
                            differing, equivalent.getOrDefault(id, List.of()), reporters.getOrDefault(id, List.of()),
                            r.getTimestamp(3).toInstant(), r.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * Pairs of classes with bit-identical complete probe runs: two workers' runs from different owners, or a worker's run
     * and the verifier's reference. One owner alone cannot make two classes equivalent.
     */
    private static Map<String, List<String>> equivalences(Connection c) throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT DISTINCT a.class_id, b.class_id FROM probe_runs a JOIN probe_runs b
                  ON a.fingerprint = b.fingerprint AND a.probe_count = b.probe_count AND a.class_id <> b.class_id AND a.owner <> b.owner
                UNION
                SELECT DISTINCT p.class_id, r.class_id FROM probe_runs p JOIN probe_references r
                  ON p.fingerprint = r.fingerprint AND p.probe_count = r.probe_count AND p.class_id <> r.class_id
                ORDER BY 1, 2""");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                add(out, r.getString(1), r.getString(2));
                add(out, r.getString(2), r.getString(1));
            }
        }
        return out;
    }

    private static void add(Map<String, List<String>> pairs, String a, String b) {
        List<String> list = pairs.computeIfAbsent(a, k -> new ArrayList<>());
        if (!list.contains(b)) {
            list.add(b);
        }
    }

    private static Map<String, List<NumericalClass.Reporter>> reporters(Connection c, Optional<String> only) throws SQLException {
        Map<String, List<NumericalClass.Reporter>> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT class_id, worker_id, owner, reported_at FROM numerical_class_workers
                WHERE (?::text IS NULL OR class_id = ?) ORDER BY class_id, reported_at DESC, worker_id""")) {
            s.setString(1, only.orElse(null));
            s.setString(2, only.orElse(null));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                            .add(new NumericalClass.Reporter(r.getString(2), r.getString(3), r.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static String json(NumericalFacts facts) {
        try {
            return JSON.writeValueAsString(facts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NumericalFacts facts(String json) {
        try {
            return JSON.readValue(json, NumericalFacts.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored class's facts do not read back: " + e.getOriginalMessage());
        }
    }
}
