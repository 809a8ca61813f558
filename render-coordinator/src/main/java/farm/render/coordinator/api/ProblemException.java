package farm.render.coordinator.api;

/** Ends a request with the given problem. */
public class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException notFound(String slug, String detail) {
        return new ProblemException(Problem.of(slug, "Not found", 404, detail));
    }
}
