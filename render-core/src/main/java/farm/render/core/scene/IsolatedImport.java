package farm.render.core.scene;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link SceneImporter} in a child JVM ({@link ImportChild}) with a heap sized from the source, a time
 * limit, a triangle limit and a package size limit, so a crash or a decompression bomb in native import code
 * costs one import, never the caller. The child reads the source on stdin; its output ({@link ImportChild}'s
 * stream) is copied into a file the caller owns and hashed as it arrives, so the caller holds a few buffers
 * whatever the scene's size.
 */
public final class IsolatedImport {
    /** The side of the square thumbnail the child draws. */
    public static final int THUMBNAIL_SIZE = 256;
    static final int MAX_THUMBNAIL_BYTES = 4 << 20;
    static final int MAX_SUMMARY_BYTES = 1 << 20;
    /** Sources from this size up get the optimizing compiler too: a million triangles import in 6 s instead of 9. */
    static final long FULL_COMPILER_FROM_BYTES = 4L << 20;
    /** Arrays this large or larger go straight to the child's old generation. */
    static final long PRETENURE_BYTES = 1L << 20;
    /** The most young generation the child gets: its large arrays are old from birth. */
    static final int MAX_YOUNG_MB = 128;
    /** Set in the caller's environment, the import child inherits it and appends its steps' seconds to the file it names. */
    public static final String PHASES_VARIABLE = "FARM_IMPORT_PHASES";

    /** What an import gives back: the package's length and SHA-256 (its bytes are in the caller's file), its summary and thumbnail. */
    public record Compiled(long packageBytes, String packageDigest, ImportSummary summary, byte[] thumbnailPng) {
    }

    /** Limits that refuse a scene, whatever the machine could do. */
    public record Limits(int maxTriangles, long maxPackageBytes) {
    }

    private final String classpath;
    private final ImportHeap heap;
    private final Duration timeLimit;
    private final Limits limits;

    public IsolatedImport(String classpath, ImportHeap heap, Duration timeLimit, Limits limits) {
        this.classpath = classpath;
        this.heap = heap;
        this.timeLimit = timeLimit;
        this.limits = limits;
    }

    /** The class path this JVM loaded the importer from: a packaged app's library folder, else java.class.path. */
    public static String defaultClasspath() {
        try {
            Path source = Path.of(SceneImporter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(source) && source.getParent() != null && source.getParent().getFileName().toString().equals("main")) {
                return source.getParent() + File.separator + "*";
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the launch class path
        }
        return System.getProperty("java.class.path");
    }

    /**
     * Imports the file at {@code source} and writes its canonical package to {@code packageFile}. The child
     * reads the source straight from disk; it runs the container checks itself, after a cheap look at the
     * file's header here. An import that runs out of its source-sized heap is tried once more at the ceiling.
     */
    public Compiled compile(Path source, String extension, Path packageFile) throws InvalidSceneException, IOException {
        String ext = extension.toLowerCase(Locale.ROOT);
        SourceChecks.checkHeader(source, ext);
        int heapMb = heap.mbFor(Files.size(source));
        try {
            return run(source, ext, packageFile, heapMb);
        } catch (OutOfMemory e) {
            if (heapMb >= heap.maxMb()) {
                throw e.refusal();
            }
            try {
                return run(source, ext, packageFile, heap.maxMb());
            } catch (OutOfMemory again) {
                throw again.refusal();
            }
        }
    }

    private Compiled run(Path source, String ext, Path packageFile, int heapMb) throws InvalidSceneException, IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // arrays of a megabyte up are born in the old generation, so young collections never copy the import's large
        // arrays, and half the heap from the start spares the collections of a small heap that grows step by step; the
        // young generation, left with small objects only, is kept small so the old one gets nearly the whole heap
        int youngMb = Math.max(2, Math.min(heapMb / 8, MAX_YOUNG_MB)); // below the starting heap, or the JVM warns on stdout
        // the JVM's own warnings go to stderr with the child's messages: stdout carries the package
        List<String> command = new ArrayList<>(List.of(java, "-Xlog:disable", "-Xlog:all=warning:stderr",
                "-Xmx" + heapMb + "m", "-Xms" + heapMb / 2 + "m",
                "-Xmn" + youngMb + "m", "-XX:+UseSerialGC", "-XX:PretenureSizeThreshold=" + PRETENURE_BYTES, "-Xss4m"));
        if (Files.size(source) < FULL_COMPILER_FROM_BYTES) {
            command.add("-XX:TieredStopAtLevel=1"); // a small import is over before the optimizing compiler pays off
        }
        command.addAll(List.of("-cp", classpath, ImportChild.class.getName(), ext, Integer.toString(limits.maxTriangles()),
                Long.toString(limits.maxPackageBytes())));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(source.toFile())).start();
        CompletableFuture<Received> stdout = CompletableFuture.supplyAsync(() -> receive(process, packageFile));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readTail(process.getErrorStream(), 64 * 1024));
        try {
            if (!process.waitFor(timeLimit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new SceneLimitException(SceneLimitException.Limit.IMPORT_TIME,
                        "import took longer than " + timeLimit.toSeconds() + " s and was stopped");
            }
            Received out = stdout.join();
            if (out.tooLarge()) {
                throw packageTooLarge(out.problem());
            }
            String err = new String(stderr.join(), StandardCharsets.UTF_8).strip();
            int status = process.exitValue();
            if (status == ImportChild.EXIT_OUT_OF_MEMORY || (status != 0 && ranOutOfMemory(err))) {
                throw new OutOfMemory(heapMb);
            }
            return switch (status) {
                case 0 -> out.orThrow();
                case ImportChild.EXIT_INVALID -> throw new InvalidSceneException(lastLine(err));
                case ImportChild.EXIT_TOO_MANY_TRIANGLES -> throw new SceneLimitException(SceneLimitException.Limit.TRIANGLES, lastLine(err));
                case ImportChild.EXIT_PACKAGE_TOO_LARGE -> throw packageTooLarge(lastLine(err));
                default -> throw new InvalidSceneException("the importer failed on this file (exit " + status
                        + (err.isEmpty() ? "" : ": " + lastLine(err)) + ")");
            };
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while importing", e);
        }
    }

    /** The child's heap ran out, or this machine could not give the child the heap it was started with. */
    static boolean ranOutOfMemory(String stderr) {
        return stderr.contains("java.lang.OutOfMemoryError") || stderr.contains("Could not reserve enough space")
                || stderr.contains("Cannot allocate memory");
    }

    private static SceneLimitException packageTooLarge(String reason) {
        return new SceneLimitException(SceneLimitException.Limit.PACKAGE_BYTES, reason);
    }

    /** The child's stream, read to its end; {@code compiled} is null when it ended early, was malformed or too large. */
    private record Received(Compiled compiled, String problem, boolean tooLarge) {
        static Received failed(String problem) {
            return new Received(null, problem, false);
        }

        Compiled orThrow() throws InvalidSceneException {
            if (compiled == null) {
                throw new InvalidSceneException(problem);
            }
            return compiled;
        }
    }

    private Received receive(Process process, Path packageFile) {
        try (DataInputStream in = new DataInputStream(process.getInputStream())) {
            byte[] magic = in.readNBytes(4);
            if (!Arrays.equals(magic, ImportChild.MAGIC)) {
                return Received.failed("the importer's output ended early");
            }
            long length = Long.reverseBytes(in.readLong());
            if (length < 0 || length > limits.maxPackageBytes()) {
                process.destroyForcibly(); // no byte of it is read, and the child need not finish writing it
                return new Received(null, tooLargeReason(length, limits.maxPackageBytes()), true);
            }
            String digest = copy(in, packageFile, length);
            byte[] thumbnail = in.readNBytes(boundedLength(in, MAX_THUMBNAIL_BYTES));
            byte[] summary = in.readNBytes(boundedLength(in, MAX_SUMMARY_BYTES));
            Received received = new Received(new Compiled(length, digest, ImportSummary.fromJson(summary), thumbnail), null, false);
            in.transferTo(OutputStream.nullOutputStream());
            return received;
        } catch (java.io.EOFException e) {
            return Received.failed("the importer's output ended early");
        } catch (IOException | InvalidSceneException e) {
            process.destroyForcibly();
            return Received.failed("the importer's output could not be read: " + e.getMessage());
        }
    }

    static String tooLargeReason(long length, long max) {
        return "the compiled scene is " + length + " bytes; this farm takes packages of at most " + max + " bytes";
    }

    private static String copy(DataInputStream in, Path file, long length) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] chunk = new byte[65536];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = length; left > 0; ) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) {
                    throw new java.io.EOFException();
                }
                sha256.update(chunk, 0, n);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static int boundedLength(DataInputStream in, int max) throws IOException {
        int n = Integer.reverseBytes(in.readInt());
        if (n < 0 || n > max) {
            throw new IOException("a section of " + n + " bytes is over its bound of " + max);
        }
        return n;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        String last = lines[lines.length - 1];
        return last.length() > 500 ? last.substring(0, 500) : last;
    }

    /** The last {@code cap} bytes of {@code in}, read to its end so the child never blocks on a full pipe. */
    private static byte[] readTail(InputStream in, int cap) {
        try (in) {
            java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) > 0; ) {
                kept.write(chunk, 0, n);
                if (kept.size() > 2 * cap) {
                    byte[] all = kept.toByteArray();
                    kept.reset();
                    kept.write(all, all.length - cap, cap);
                }
            }
            return kept.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The child ran out of the heap it was given. */
    private static final class OutOfMemory extends IOException {
        private final int heapMb;

        OutOfMemory(int heapMb) {
            super("out of memory at " + heapMb + " MiB");
            this.heapMb = heapMb;
        }

        SceneLimitException refusal() {
            return new SceneLimitException(SceneLimitException.Limit.IMPORT_MEMORY,
                    "the scene needs more than " + heapMb + " MiB to import, the most this farm gives one import");
        }
    }
}
