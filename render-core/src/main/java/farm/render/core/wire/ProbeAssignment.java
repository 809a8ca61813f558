package farm.render.core.wire;

/**
 * Directed work a claim hands a worker in place of a ticket: render the first {@code count} probe tiles
 * ({@link farm.render.core.classes.ProbeTile#first}) and report their digests, so the coordinator learns whether the
 * worker's numerical class renders bit for bit like the trusted verifier's. The ticket itself goes back to be published
 * again, as after any refusal.
 *
 * @param classId the class the worker reported, which the report must name
 */
public record ProbeAssignment(String classId, int count) {
}
