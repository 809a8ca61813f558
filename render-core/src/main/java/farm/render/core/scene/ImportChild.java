package farm.render.core.scene;

import farm.render.core.preview.Thumbnail;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The import child that {@link IsolatedImport} starts: the source on stdin, on stdout {@code "RFPK"}, the
 * package's length (little-endian long), the package, then the thumbnail PNG and the summary JSON, each after
 * its length (little-endian int). A refusal is an exit status with the reason as the last line on stderr.
 * Arguments: the source's extension, the most triangles and the most package bytes the farm takes.
 */
public final class ImportChild {
    static final byte[] MAGIC = "RFPK".getBytes(StandardCharsets.US_ASCII);
    /** The input is not a valid scene. */
    static final int EXIT_INVALID = 3;
    static final int EXIT_TOO_MANY_TRIANGLES = 4;
    static final int EXIT_OUT_OF_MEMORY = 5;
    static final int EXIT_PACKAGE_TOO_LARGE = 6;

    private ImportChild() {
    }

    public static void main(String[] args) throws IOException {
        // an OutOfMemoryError on any thread is this import's answer, never a half-written stream
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(e instanceof OutOfMemoryError ? EXIT_OUT_OF_MEMORY : 1));
        OutputStream out = new java.io.BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(System.err); // native or library chatter must not corrupt the package stream
        try {
            run(args[0], Integer.parseInt(args[1]), Long.parseLong(args[2]), out);
            out.flush();
            System.exit(0);
        } catch (OutOfMemoryError e) {
            Runtime.getRuntime().halt(EXIT_OUT_OF_MEMORY);
        } catch (Refusal e) {
            System.err.println(e.getMessage());
            System.exit(e.status);
        }
    }

    private static void run(String extension, int maxTriangles, long maxPackageBytes, OutputStream out) throws IOException, Refusal {
        ImportPhases phases = ImportPhases.fromEnvironment();
        SceneImporter.Imported imported;
        try {
            byte[] source = readSource();
            phases.step("read");
            imported = SceneImporter.importWithCounts(source, extension); // the container checks included
            phases.step("import");
        } catch (SceneLimitException e) {
            // the importer's own ceiling, met while nodes that share a mesh are flattened: a limit, not a broken file
            throw new Refusal(EXIT_TOO_MANY_TRIANGLES, e.getMessage() + "; this farm takes at most " + maxTriangles);
        } catch (InvalidSceneException e) {
            throw new Refusal(EXIT_INVALID, e.getMessage());
        }
        Scene scene = imported.scene();
        if (scene.triangleCount() > maxTriangles) {
            throw new Refusal(EXIT_TOO_MANY_TRIANGLES, "the scene has " + scene.triangleCount()
                    + " triangles; this farm takes at most " + maxTriangles);
        }
        // the thumbnail and the summary only read the scene: drawn on a second core while the package is encoded and sent
        Sections sections = new Sections(scene, imported.counts());
        Thread drawing = null;
        if (!scene.animation().isAnimated()) { // a posed copy of an animated scene would add to the package's memory
            drawing = new Thread(sections, "thumbnail");
            drawing.setDaemon(true);
            drawing.start();
        }
        byte[] pkg = ScenePackage.encode(scene);
        phases.step("encode");
        if (pkg.length > maxPackageBytes) {
            throw new Refusal(EXIT_PACKAGE_TOO_LARGE, IsolatedImport.tooLargeReason(pkg.length, maxPackageBytes));
        }
        out.write(MAGIC);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(pkg.length).array());
        out.write(pkg);
        pkg = null; // the thumbnail of an animated scene may use the memory the package held
        phases.step("send");
        if (drawing == null) {
            sections.run();
        } else {
            try {
                drawing.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while drawing the thumbnail", e);
            }
        }
        phases.step("thumbnail");
        writeSection(out, sections.thumbnail);
        writeSection(out, sections.summary);
        out.flush();
        phases.step("summary");
        phases.write(scene.triangleCount(), Runtime.getRuntime().maxMemory() >> 20);
    }

    /** Stdin, the source file itself when the parent redirected it: read into one array of the file's size, not grown as it comes. */
    private static byte[] readSource() throws IOException {
        FileInputStream in = new FileInputStream(FileDescriptor.in);
        long size = in.getChannel().size(); // 0 for a pipe
        if (size <= 0 || size >= Integer.MAX_VALUE - 8) {
            return in.readAllBytes();
        }
        byte[] head = in.readNBytes((int) size);
        byte[] rest = in.readAllBytes(); // a file that grew since
        if (rest.length == 0) {
            return head;
        }
        byte[] all = java.util.Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    /** The thumbnail PNG and the summary JSON; an error on the drawing thread ends the child through its uncaught handler. */
    private static final class Sections implements Runnable {
        private final Scene scene;
        private final SourceCounts counts;
        private byte[] thumbnail;
        private byte[] summary;

        Sections(Scene scene, SourceCounts counts) {
            this.scene = scene;
            this.counts = counts;
        }

        @Override
        public void run() {
            thumbnail = thumbnail(scene);
            summary = ImportSummary.of(scene, counts).toJson();
        }
    }

    private static byte[] thumbnail(Scene scene) {
        try {
            return Thumbnail.png(scene, IsolatedImport.THUMBNAIL_SIZE, IsolatedImport.THUMBNAIL_SIZE);
        } catch (RuntimeException e) {
            System.err.println("no thumbnail: " + e.getMessage()); // a scene without one is still a scene
            return new byte[0];
        }
    }

    private static void writeSection(OutputStream out, byte[] bytes) throws IOException {
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
        out.write(bytes);
    }

    /** A scene this child will not hand on, with the exit status that says which kind. */
    private static final class Refusal extends Exception {
        private final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
