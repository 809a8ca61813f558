package farm.render.coordinator.classes;

import java.util.Locale;

/**
 * Where a numerical class stands against the trusted verifier: its own class; proven, when complete probe runs from
 * enough different owners matched the verifier's bit for bit and none differed; or unproven.
 */
public enum ClassStatus {
    REFERENCE, PROVEN, UNPROVEN;

    /** The name the API and pages show. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
