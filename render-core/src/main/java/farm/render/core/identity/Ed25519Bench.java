package farm.render.core.identity;

import farm.render.core.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;

/**
 * {@code ./farm bench ed25519}: signatures and verifications per second on one thread, the JDK's
 * provider against {@link Ed25519} (BouncyCastle's RFC 8032 code), measured in the same run in
 * alternating rounds so that load from other processes falls on both; prints the median round.
 */
@Command(name = "./farm bench ed25519", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "./farm bench ed25519 [--seconds S] [--rounds R]",
        description = "signatures and verifications per second: the JDK's Ed25519 against the farm's (BouncyCastle)")
public final class Ed25519Bench implements Callable<Integer> {
    private static final int MESSAGE_BYTES = 512; // about a tile task's signed fields with its three presigned URLs

    @Option(names = "--seconds", paramLabel = "S", description = "seconds per round (default ${DEFAULT-VALUE})")
    private double seconds = 1.0;
    @Option(names = "--rounds", paramLabel = "R", description = "rounds; the median is printed (default ${DEFAULT-VALUE})")
    private int rounds = 5;
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.of(new Ed25519Bench()).execute(args));
    }

    @Override
    public Integer call() throws GeneralSecurityException {
        if (!(seconds > 0) || rounds < 1) {
            throw CommandLines.mistake(spec, "need --seconds > 0 and --rounds >= 1");
        }
        KeyPair keys = Ed25519.generate();
        byte[] message = new byte[MESSAGE_BYTES];
        Arrays.fill(message, (byte) 'x');
        byte[] jdkSignature = jdkSign(keys, message);
        byte[] bcSignature = Ed25519.signRaw(keys.getPrivate(), message);
        if (!Arrays.equals(jdkSignature, bcSignature)) {
            throw new IllegalStateException("the two engines disagree on a signature");
        }
        long nanos = (long) (seconds * 1e9);
        // warm-up: both engines through the JIT before anything counts
        for (int i = 0; i < 2; i++) {
            measure(nanos / 2, () -> jdkSign(keys, message));
            measure(nanos / 2, () -> Ed25519.signRaw(keys.getPrivate(), message));
            measure(nanos / 2, () -> jdkVerify(keys, message, jdkSignature));
            measure(nanos / 2, () -> bcVerify(keys, message, bcSignature));
        }
        double[][] rates = new double[4][rounds];
        for (int r = 0; r < rounds; r++) {
            rates[0][r] = measure(nanos, () -> jdkSign(keys, message));
            rates[1][r] = measure(nanos, () -> Ed25519.signRaw(keys.getPrivate(), message));
            rates[2][r] = measure(nanos, () -> jdkVerify(keys, message, jdkSignature));
            rates[3][r] = measure(nanos, () -> bcVerify(keys, message, bcSignature));
        }
        System.out.printf("Ed25519 on one thread, %d-byte messages, median of %d rounds of %.1f s, Java %s, %d cores, load average %s%n",
                MESSAGE_BYTES, rounds, seconds, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                loadAverage());
        System.out.println("| operation | JDK provider | BouncyCastle RFC 8032 | ratio |");
        System.out.println("|---|---|---|---|");
        row("sign", median(rates[0]), median(rates[1]));
        row("verify", median(rates[2]), median(rates[3]));
        System.out.println("signatures identical: yes (" + Base64.getEncoder().encodeToString(bcSignature).substring(0, 12) + "…)");
        return 0;
    }

    private static void row(String op, double jdk, double bc) {
        System.out.printf("| %s | %,.0f/s (%.3f ms) | %,.0f/s (%.3f ms) | %.1f× |%n", op, jdk, 1000 / jdk, bc, 1000 / bc, bc / jdk);
    }

    private interface Op {
        Object run() throws GeneralSecurityException;
    }

    private static double measure(long nanos, Op op) throws GeneralSecurityException {
        long start = System.nanoTime();
        long end = start + nanos;
        long n = 0;
        long now;
        Object sink = null;
        do {
            sink = op.run();
            n++;
            now = System.nanoTime();
        } while (now < end);
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
        return n / ((now - start) / 1e9);
    }

    private static byte[] jdkSign(KeyPair keys, byte[] message) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(message);
        return s.sign();
    }

    private static Boolean jdkVerify(KeyPair keys, byte[] message, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(keys.getPublic());
        s.update(message);
        if (!s.verify(signature)) {
            throw new IllegalStateException("the JDK rejected a valid signature");
        }
        return Boolean.TRUE;
    }

    private static Boolean bcVerify(KeyPair keys, byte[] message, byte[] signature) {
        if (!Ed25519.verifyRaw(keys.getPublic(), message, signature)) {
            throw new IllegalStateException("BouncyCastle rejected a valid signature");
        }
        return Boolean.TRUE;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String loadAverage() {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg")), StandardCharsets.US_ASCII).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
