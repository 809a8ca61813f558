package farm.render.coordinator.api;

import farm.render.core.classes.NumericalFacts;

/** Refuses a numerical-class report whose facts are out of bounds, naming the field at fault. */
final class DeviceClassProblems {
    private DeviceClassProblems() {
    }

    /** @param prefix how the facts are reached in the body, e.g. {@code numericalClass.} */
    static void check(NumericalFacts facts, String prefix) {
        facts.problem().ifPresent(p -> {
            throw new ProblemException(Problem.of("invalid-numerical-class", "Invalid numerical class", 400, p.detail())
                    .withField(prefix + p.field()));
        });
    }
}
