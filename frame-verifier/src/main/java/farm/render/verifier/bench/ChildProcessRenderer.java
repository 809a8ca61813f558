package farm.render.verifier.bench;

import farm.render.core.image.TileImage;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.worker.cli.ChildJvm;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.TileRenderer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A renderer in another process ({@link TileRenderServer}), started with its own environment so the Vulkan driver
 * loads in another numerical configuration (lavapipe held to SSE4.1, say). It renders the one scene file it was
 * started with, whatever scene a call names. Each call goes over the child's stdin as an operation ({@link #TILE} or
 * {@link #PIXELS}) and {@link FrameRequest} fields, then a {@link TileRect} (a tile comes back as a length and
 * {@link TileImage#encode()} bytes) or a pixel list (x, y pairs; the pixels come back as a count of floats and the floats).
 */
final class ChildProcessRenderer implements TileRenderer {
    static final int TILE = 0;
    static final int PIXELS = 1;

    private final Process process;
    private final DataOutputStream in;
    private final DataInputStream out;
    private final String deviceName;

    private ChildProcessRenderer(Process process) throws IOException {
        this.process = process;
        this.in = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        this.out = new DataInputStream(new BufferedInputStream(process.getInputStream()));
        this.deviceName = out.readUTF();
    }

    /** Starts the child on {@code sceneFile} with {@code env} added to this process's environment. */
    static ChildProcessRenderer start(Path sceneFile, Map<String, String> env) throws IOException {
        List<String> command = ChildJvm.command(ChildJvm.classpathOf(TileRenderServer.class), TileRenderServer.class);
        command.add(sceneFile.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process process = pb.start();
        try {
            return new ChildProcessRenderer(process);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new IOException("the child renderer did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public TileImage renderTile(Scene scene, String sceneKey, FrameRequest request, TileRect rect) {
        try {
            send(TILE, request);
            in.writeInt(rect.x());
            in.writeInt(rect.y());
            in.writeInt(rect.width());
            in.writeInt(rect.height());
            in.flush();
            byte[] bytes = new byte[out.readInt()];
            out.readFully(bytes);
            return TileImage.decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("the child renderer stopped answering", e);
        }
    }

    /** The pixels in one dispatch of the child's renderer, as a verifier or a peer renders a pixel list. */
    @Override
    public float[] renderPixels(Scene scene, String sceneKey, FrameRequest request, int[] xy) {
        try {
            send(PIXELS, request);
            in.writeInt(xy.length);
            for (int v : xy) {
                in.writeInt(v);
            }
            in.flush();
            float[] rgb = new float[out.readInt()];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = out.readFloat();
            }
            return rgb;
        } catch (IOException e) {
            throw new UncheckedIOException("the child renderer stopped answering", e);
        }
    }

    private void send(int operation, FrameRequest request) throws IOException {
        in.writeInt(operation);
        in.writeInt(request.imageWidth());
        in.writeInt(request.imageHeight());
        in.writeInt(request.frame());
        in.writeInt(request.spp());
        in.writeInt(request.maxBounces());
        in.writeLong(request.seed());
        in.writeFloat(request.clampIndirect());
    }

    @Override
    public String deviceName() {
        return deviceName;
    }

    @Override
    public long deviceBytes(Scene scene, String sceneKey, int pixels) {
        throw new UnsupportedOperationException("the child renderer does not size device memory");
    }

    @Override
    public long deviceMemoryBytes() {
        throw new UnsupportedOperationException("the child renderer does not size device memory");
    }

    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
