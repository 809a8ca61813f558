package farm.render.core.scene;

import org.lwjgl.assimp.AIFile;
import org.lwjgl.assimp.AIFileCloseProc;
import org.lwjgl.assimp.AIFileFlushProc;
import org.lwjgl.assimp.AIFileIO;
import org.lwjgl.assimp.AIFileOpenProc;
import org.lwjgl.assimp.AIFileReadProc;
import org.lwjgl.assimp.AIFileSeek;
import org.lwjgl.assimp.AIFileTellProc;
import org.lwjgl.assimp.AIFileWriteProc;
import org.lwjgl.assimp.AIScene;
import org.lwjgl.system.MemoryUtil;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.lwjgl.assimp.Assimp.aiImportFileEx;
import static org.lwjgl.assimp.Assimp.aiOrigin_CUR;
import static org.lwjgl.assimp.Assimp.aiOrigin_END;
import static org.lwjgl.assimp.Assimp.aiOrigin_SET;
import static org.lwjgl.assimp.Assimp.aiReturn_FAILURE;
import static org.lwjgl.assimp.Assimp.aiReturn_SUCCESS;

/**
 * The only file system Assimp sees while importing an upload: one read-only file, the upload itself.
 * Every other name a scene refers to (a glTF buffer URI such as /etc/passwd, an OBJ mtllib, a path
 * with ../) fails to open, so an uploaded scene can never read the importing machine's files.
 */
final class SandboxedFiles implements AutoCloseable {
    private final String name;
    private final ByteBuffer data;
    private final Map<Long, long[]> positions = new HashMap<>();
    private final Set<String> refused = new TreeSet<>();
    private final AIFileOpenProc open;
    private final AIFileCloseProc close;
    private final AIFileReadProc read;
    private final AIFileWriteProc write;
    private final AIFileTellProc tell;
    private final AIFileTellProc size;
    private final AIFileSeek seek;
    private final AIFileFlushProc flush;
    private final AIFileIO io;

    SandboxedFiles(byte[] source, String extension) {
        this.name = "upload." + extension;
        this.data = MemoryUtil.memAlloc(Math.max(1, source.length));
        data.put(source).flip();
        this.read = AIFileReadProc.create((file, buffer, itemSize, count) -> {
            long[] pos = positions.get(file);
            if (pos == null || itemSize <= 0) {
                return 0;
            }
            long items = Math.min(count, (data.limit() - pos[0]) / itemSize);
            long bytes = items * itemSize;
            MemoryUtil.memCopy(MemoryUtil.memAddress(data) + pos[0], buffer, bytes);
            pos[0] += bytes;
            return items;
        });
        this.write = AIFileWriteProc.create((file, buffer, itemSize, count) -> 0);
        this.tell = AIFileTellProc.create(file -> positions.getOrDefault(file, new long[1])[0]);
        this.size = AIFileTellProc.create(file -> data.limit());
        this.seek = AIFileSeek.create((file, offset, origin) -> {
            long[] pos = positions.get(file);
            long base = origin == aiOrigin_SET ? 0 : origin == aiOrigin_CUR ? (pos == null ? 0 : pos[0])
                    : origin == aiOrigin_END ? data.limit() : -1;
            long target = base + offset;
            if (pos == null || base < 0 || target < 0 || target > data.limit()) {
                return aiReturn_FAILURE;
            }
            pos[0] = target;
            return aiReturn_SUCCESS;
        });
        this.flush = AIFileFlushProc.create(file -> { });
        this.open = AIFileOpenProc.create((fileIo, fileName, mode) -> {
            String requested = MemoryUtil.memUTF8(fileName);
            if (!requested.equals(name) && !requested.equals("./" + name)) {
                refused.add(requested);
                return MemoryUtil.NULL;
            }
            AIFile file = AIFile.calloc().ReadProc(read).WriteProc(write).TellProc(tell).FileSizeProc(size)
                    .SeekProc(seek).FlushProc(flush);
            positions.put(file.address(), new long[1]);
            return file.address();
        });
        this.close = AIFileCloseProc.create((fileIo, file) -> {
            if (positions.remove(file) != null) {
                AIFile.create(file).free();
            }
        });
        this.io = AIFileIO.calloc().OpenProc(open).CloseProc(close);
    }

    /** Imports the upload through this file system; null when Assimp refuses it. */
    AIScene importScene(int flags) {
        return aiImportFileEx(name, flags, io);
    }

    /** Names the scene tried to open that are not the upload: external files it depends on. */
    Set<String> refusedNames() {
        return Set.copyOf(refused);
    }

    @Override
    public void close() {
        for (long file : positions.keySet()) {
            AIFile.create(file).free();
        }
        positions.clear();
        io.free();
        open.free();
        close.free();
        read.free();
        write.free();
        tell.free();
        size.free();
        seek.free();
        flush.free();
        MemoryUtil.memFree(data);
    }
}
