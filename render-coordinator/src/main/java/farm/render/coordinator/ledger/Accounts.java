package farm.render.coordinator.ledger;

import java.util.regex.Pattern;

/** Ledger account names: {@code artist:<x>}, {@code escrow:<job>}, {@code worker:<id>}, {@code stake:<id>}, {@code fees}, {@code mint}. */
public final class Accounts {
    public static final String MINT = "mint";
    public static final String FEES = "fees";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private Accounts() {
    }

    public static String artist(String name) {
        return "artist:" + name;
    }

    public static String escrow(String jobId) {
        return "escrow:" + jobId;
    }

    public static String worker(String workerId) {
        return "worker:" + workerId;
    }

    /** What a worker has staked: slashed on failed verdicts. */
    public static String stake(String workerId) {
        return "stake:" + workerId;
    }

    /** Whether {@code name} may follow a prefix such as {@code artist:}. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
