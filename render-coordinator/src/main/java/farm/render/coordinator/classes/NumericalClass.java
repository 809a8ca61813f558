package farm.render.coordinator.classes;

import farm.render.core.classes.NumericalFacts;

import java.time.Instant;
import java.util.List;

/**
 * One row of the class table, with what is derived from its probe runs.
 *
 * @param matchingOwners owners with a complete probe run that matched the verifier's bit for bit
 * @param differingRuns  complete probe runs that differed from the verifier's in at least one bit
 * @param equivalentTo   other classes whose probe runs came back bit-identical to one of this class's, from another owner
 * @param reporters      the workers that reported the class and their owners; empty where the reader may not see them
 */
public record NumericalClass(String id, NumericalFacts facts, ClassStatus status, int workers, int owners, int runs,
                             int matchingOwners, int differingRuns, List<String> equivalentTo, List<Reporter> reporters,
                             Instant firstSeenAt, Instant lastSeenAt) {
    public record Reporter(String workerId, String owner, Instant reportedAt) {
    }
}
