package farm.render.verifier.bench;

import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import farm.render.worker.render.FrameRequest;
import farm.render.worker.render.VulkanRenderer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process of {@link ChildProcessRenderer}: loads one scene file, opens the renderer in the numerical
 * configuration its environment sets, then renders the tiles and pixel lists read from stdin and writes them to stdout until stdin
 * closes. The protocol is {@link ChildProcessRenderer}'s; anything else the process prints goes to stderr.
 */
public final class TileRenderServer {
    private TileRenderServer() {
    }

    public static void main(String[] args) throws Exception {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(System.err); // stdout carries tiles only
        Path file = Path.of(args[0]);
        String name = file.getFileName().toString();
        Scene scene = SceneImporter.importScene(Files.readAllBytes(file), name.substring(name.lastIndexOf('.') + 1));
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            out.writeUTF(renderer.deviceName());
            out.flush();
            while (true) {
                int operation;
                try {
                    operation = in.readInt();
                } catch (EOFException e) {
                    return;
                }
                FrameRequest request = new FrameRequest(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                        in.readLong(), in.readFloat());
                Scene posed = scene.posed(request.frame());
                String key = scene.geometryKey(name, request.frame());
                if (operation == ChildProcessRenderer.PIXELS) {
                    int[] xy = new int[in.readInt()];
                    for (int i = 0; i < xy.length; i++) {
                        xy[i] = in.readInt();
                    }
                    float[] rgb = renderer.renderPixels(posed, key, request, xy);
                    out.writeInt(rgb.length);
                    for (float v : rgb) {
                        out.writeFloat(v);
                    }
                } else {
                    TileRect rect = new TileRect(in.readInt(), in.readInt(), in.readInt(), in.readInt());
                    byte[] bytes = renderer.renderTile(posed, key, request, rect).encode();
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
                out.flush();
            }
        }
    }
}
