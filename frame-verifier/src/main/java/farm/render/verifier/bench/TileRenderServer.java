package farm.render.verifier.bench;

import farm.render.core.image.TileImage;
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
 * configuration its environment sets, then renders the tiles read from stdin and writes them to stdout until stdin
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
                FrameRequest request;
                TileRect rect;
                try {
                    request = new FrameRequest(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readLong(),
                            in.readFloat());
                    rect = new TileRect(in.readInt(), in.readInt(), in.readInt(), in.readInt());
                } catch (EOFException e) {
                    return;
                }
                TileImage tile = renderer.renderTile(scene.posed(request.frame()), scene.geometryKey(name, request.frame()), request, rect);
                byte[] bytes = tile.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
                out.flush();
            }
        }
    }
}
