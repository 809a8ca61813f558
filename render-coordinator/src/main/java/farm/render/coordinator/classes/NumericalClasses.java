package farm.render.coordinator.classes;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.core.classes.NumericalFacts;
import farm.render.core.classes.ProbeFingerprint;
import farm.render.core.classes.ProbeTile;
import farm.render.core.digest.Digests;
import farm.render.core.identity.Ed25519;
import farm.render.core.wire.ProbeAssignment;
import farm.render.core.wire.ProbeReport;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The class table: workers report the facts of their numerical class with their device; the trusted verifier hands in
 * its own class and probe digests (the reference); a worker of an unproven class is assigned a probe run at its next
 * claim, and its report is compared with the reference bit for bit. Status and equivalence are derived from the runs.
 * Probe runs are not paid: they are short (64 tiles of 16×16 pixels), once per worker and class, and keep the ledger
 * free of postings that no job's escrow funds.
 */
@ApplicationScoped
public class NumericalClasses {
    /** Classes the table answers at most, most recently seen first. */
    public static final int MAX_LISTED = 500;

    /** The outcome of a probe report. */
    public sealed interface ReportOutcome {
    }

    /** Kept: {@code mismatches} probes differed from the reference; {@code status} is the class's standing now. */
    public record Recorded(int mismatches, ClassStatus status) implements ReportOutcome {
    }

    /** Refused, with the field at fault and why; {@code conflict} when the report came at the wrong time rather than malformed. */
    public record Refused(String field, String detail, boolean conflict) implements ReportOutcome {
    }

    private final Transactions tx;
    private final int probes;
    private final int provingOwners;
    private final long reissueSeconds;

    public NumericalClasses(Transactions tx, FarmConfig config) {
        this.tx = tx;
        this.probes = Math.min(Math.max(1, config.classes().probes()), ProbeTile.MAX_PROBES);
        this.provingOwners = Math.max(1, config.classes().provingOwners());
        this.reissueSeconds = config.classes().probeReissue().toSeconds();
    }

    /** Probe tiles in one run. */
    public int probeCount() {
        return probes;
    }

    public int provingOwners() {
        return provingOwners;
    }

    /** Records the worker's class (facts already checked); answers its status, empty when no such worker is registered. */
    public Optional<ClassStatus> report(String workerId, String owner, NumericalFacts facts) {
        return tx.inTransaction(c -> {
            ClassStore.upsertClass(c, facts);
            if (!ClassStore.assign(c, workerId, owner, facts.classId())) {
                return Optional.<ClassStatus>empty();
            }
            return Optional.of(status(c, facts.classId()));
        });
    }

    /** The trusted verifier's class and its digests of the first {@link #probeCount()} probe tiles, per renderer version. */
    public void setReference(NumericalFacts facts, List<String> digests) {
        tx.inTransaction(c -> {
            ClassStore.setReference(c, facts, digests, ProbeFingerprint.of(digests));
            return null;
        });
    }

    /**
     * At a claim, in the claim's transaction: the probe run this worker should render in place of a ticket, issued now;
     * empty when its class is the reference's, proven, has no reference yet, or the worker already has a run under way.
     */
    public Optional<ProbeAssignment> probesFor(Connection c, String workerId) throws SQLException {
        Optional<ClassStore.Run> owed = ClassStore.owedRun(c, workerId, reissueSeconds);
        if (owed.isEmpty() || status(c, owed.get().classId()) != ClassStatus.UNPROVEN) {
            return Optional.empty();
        }
        ClassStore.issue(c, workerId, owed.get());
        return Optional.of(new ProbeAssignment(owed.get().classId(), owed.get().probeCount()));
    }

    /** Takes a worker's probe report for the run it was assigned; {@code key} is the worker's registered public key. */
    public ReportOutcome accept(String workerId, ProbeReport report, PublicKey key) {
        if (report.digests() == null || report.digests().stream().anyMatch(d -> !Digests.isSha256Hex(d))) {
            return new Refused("digests", "digests must be a list of SHA-256 hex digests, one per probe tile", false);
        }
        if (!NumericalFacts.isClassId(report.classId())) {
            return new Refused("classId", "classId must be a numerical class id (nc- and 24 hex digits)", false);
        }
        if (!workerId.equals(report.workerId()) || !report.verify(key)) {
            return new Refused("signature", "the report must name this worker and carry its Ed25519 signature", false);
        }
        return tx.inTransaction(c -> {
            Optional<ClassStore.Run> run = ClassStore.runForUpdate(c, workerId, report.classId());
            if (run.isEmpty()) {
                return new Refused("classId", "no probe run was assigned to " + workerId + " for class " + report.classId(), true);
            }
            if (run.get().reported()) {
                return new Refused("classId", workerId + " already reported its probe run for class " + report.classId(), true);
            }
            if (report.digests().size() != run.get().probeCount()) {
                return new Refused("digests", "the run has " + run.get().probeCount() + " probe tiles; the report holds "
                        + report.digests().size() + " digests", false);
            }
            List<String> reference = ClassStore.reference(c, run.get().rendererVersion()).map(ClassStore.Reference::digests)
                    .orElse(List.of());
            int mismatches = 0;
            for (int i = 0; i < report.digests().size(); i++) {
                mismatches += i < reference.size() && reference.get(i).equals(report.digests().get(i)) ? 0 : 1;
            }
            ClassStore.report(c, workerId, report.classId(), report.digests(), ProbeFingerprint.of(report.digests()), mismatches,
                    report.signature());
            return new Recorded(mismatches, status(c, report.classId()));
        });
    }

    /** The table, most recently seen first; {@code withReporters}: also which workers and owners reported each class. */
    public List<NumericalClass> table(boolean withReporters) {
        return tx.inTransaction(c -> ClassStore.classes(c, Optional.empty(), provingOwners, withReporters, MAX_LISTED));
    }

    /** The reference class of each renderer version. */
    public Map<String, String> references() {
        return tx.inTransaction(ClassStore::references);
    }

    /** The standing of the class the worker last reported; empty when it reported none. */
    public Optional<ClassStatus> workerStatus(Connection c, String workerId) throws SQLException {
        Optional<String> classId = workerClass(c, workerId);
        return classId.isEmpty() ? Optional.empty() : Optional.of(status(c, classId.get()));
    }

    /** The class the worker last reported; empty when it reported none. */
    public Optional<String> workerClass(Connection c, String workerId) throws SQLException {
        try (java.sql.PreparedStatement s = c.prepareStatement("SELECT numerical_class FROM workers WHERE id = ?")) {
            s.setString(1, workerId);
            try (java.sql.ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
            }
        }
    }

    private ClassStatus status(Connection c, String classId) throws SQLException {
        return ClassStore.classes(c, Optional.of(classId), provingOwners, false, 1).stream().findFirst()
                .map(NumericalClass::status).orElse(ClassStatus.UNPROVEN);
    }
}
