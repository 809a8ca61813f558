package farm.render.core.scene;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link SceneImporter} in a child JVM with a memory cap, a time limit and an output cap, so a
 * crash or a decompression bomb in native import code costs one import, never the caller. The child
 * reads the source on stdin and writes the canonical scene package on stdout, followed by a trailer of
 * the source's counts ({@link SourceCounts}: two little-endian ints, then {@code "RFCT"}).
 */
public final class IsolatedImport {
    /** Exit status the child uses for "the input is not a valid scene"; the reason is on stderr. */
    static final int EXIT_INVALID = 3;
    private static final byte[] TRAILER_MAGIC = "RFCT".getBytes(StandardCharsets.US_ASCII);
    private static final int TRAILER_BYTES = 12;

    /** What an import gives back: the canonical package and the source's counts. */
    public record Compiled(byte[] scenePackage, SourceCounts counts) {
    }

    private final List<String> javaCommand;
    private final Duration timeLimit;
    private final long maxOutputBytes;

    public IsolatedImport(String classpath, int maxHeapMb, Duration timeLimit, long maxOutputBytes) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.javaCommand = List.of(java, "-Xmx" + maxHeapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss4m",
                "-cp", classpath, IsolatedImport.class.getName());
        this.timeLimit = timeLimit;
        this.maxOutputBytes = maxOutputBytes;
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

    /** Imports {@code source} and returns the canonical scene package bytes with the source's counts. */
    public Compiled compile(byte[] source, String extension) throws InvalidSceneException, IOException {
        String ext = extension.toLowerCase(java.util.Locale.ROOT);
        SourceChecks.check(source, ext); // cheap, pure Java: no child needed to refuse these
        return run(ext, ProcessBuilder.Redirect.PIPE, source);
    }

    /**
     * Imports the file at {@code source}: the child reads it straight from disk, so this JVM never holds
     * the upload; the child runs the container checks itself, after a cheap look at the file's header here.
     */
    public Compiled compile(Path source, String extension) throws InvalidSceneException, IOException {
        String ext = extension.toLowerCase(java.util.Locale.ROOT);
        SourceChecks.checkHeader(source, ext);
        return run(ext, ProcessBuilder.Redirect.from(source.toFile()), null);
    }

    private Compiled run(String extension, ProcessBuilder.Redirect input, byte[] piped) throws InvalidSceneException, IOException {
        List<String> command = new ArrayList<>(javaCommand);
        command.add(extension);
        Process process = new ProcessBuilder(command).redirectInput(input).start();
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readCapped(process.getInputStream(), maxOutputBytes));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readCapped(process.getErrorStream(), 64 * 1024));
        if (piped != null) {
            try (OutputStream in = process.getOutputStream()) {
                in.write(piped);
            } catch (IOException e) {
                // the child may exit early on bad input; its status says why
            }
        }
        try {
            if (!process.waitFor(timeLimit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new InvalidSceneException("import took longer than " + timeLimit.toSeconds() + " s and was stopped");
            }
            byte[] out = stdout.join();
            String err = new String(stderr.join(), StandardCharsets.UTF_8).strip();
            if (out == null) {
                process.destroyForcibly();
                throw new InvalidSceneException("the compiled scene is larger than " + maxOutputBytes + " bytes");
            }
            return switch (process.exitValue()) {
                case 0 -> split(out);
                case EXIT_INVALID -> throw new InvalidSceneException(lastLine(err));
                default -> throw new InvalidSceneException("the importer failed on this file (exit " + process.exitValue()
                        + (err.isEmpty() ? "" : ": " + lastLine(err)) + ")");
            };
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while importing", e);
        }
    }

    private static Compiled split(byte[] out) throws InvalidSceneException {
        int n = out.length;
        if (n < TRAILER_BYTES || !java.util.Arrays.equals(out, n - 4, n, TRAILER_MAGIC, 0, 4)) {
            throw new InvalidSceneException("the importer's output ended early");
        }
        java.nio.ByteBuffer trailer = java.nio.ByteBuffer.wrap(out, n - TRAILER_BYTES, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return new Compiled(java.util.Arrays.copyOf(out, n - TRAILER_BYTES), new SourceCounts(trailer.getInt(), trailer.getInt()));
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        String last = lines[lines.length - 1];
        return last.length() > 500 ? last.substring(0, 500) : last;
    }

    private static byte[] readCapped(InputStream in, long cap) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[65536];
            long total = 0;
            for (int n; (n = in.read(chunk)) > 0; ) {
                total += n;
                if (total > cap) {
                    return null;
                }
                buffer.write(chunk, 0, n);
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** Child entry point: source on stdin, scene package on stdout. */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        System.setOut(System.err); // native or library chatter must not corrupt the package stream
        byte[] source = System.in.readAllBytes();
        try {
            SourceChecks.check(source, args[0]); // a file handed over by path was not checked in the parent
            SceneImporter.Imported imported = SceneImporter.importWithCounts(source, args[0]);
            out.write(ScenePackage.encode(imported.scene()));
            out.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(imported.counts().meshes()).putInt(imported.counts().cameras()).array());
            out.write(TRAILER_MAGIC);
            out.flush();
            System.exit(0);
        } catch (InvalidSceneException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_INVALID);
        }
    }
}
