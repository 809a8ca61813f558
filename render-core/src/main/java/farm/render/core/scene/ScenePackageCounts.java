package farm.render.core.scene;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static farm.render.core.scene.ScenePackage.CAMERA_BYTES;
import static farm.render.core.scene.ScenePackage.MAGIC;
import static farm.render.core.scene.ScenePackage.MATERIAL_BYTES;

/** The material and triangle counts at the head of a package file, read without loading the package. */
public record ScenePackageCounts(int materials, int triangles) {
    public static ScenePackageCounts read(Path pkg) throws InvalidSceneException, IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(pkg), 65536))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            int version = littleInt(in);
            if (!Arrays.equals(magic, MAGIC) || (version < ScenePackage.PER_CORNER_VERSION || version > ScenePackage.INSTANCED_VERSION)) {
                throw new InvalidSceneException("the compiled scene does not start like a scene package");
            }
            skip(in, CAMERA_BYTES);
            int materials = littleInt(in);
            if (materials < 0 || materials > ScenePackage.MAX_MATERIALS) {
                throw new InvalidSceneException("the compiled scene declares " + materials + " materials");
            }
            for (int m = 0; m < materials; m++) {
                int name = littleInt(in);
                if (name < 0 || name > ScenePackage.MAX_STRING) {
                    throw new InvalidSceneException("the compiled scene has a material name of " + name + " bytes");
                }
                skip(in, (long) name + MATERIAL_BYTES);
            }
            return new ScenePackageCounts(materials, littleInt(in));
        } catch (java.io.EOFException e) {
            throw new InvalidSceneException("the compiled scene ended early");
        }
    }

    private static int littleInt(DataInputStream in) throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        in.skipNBytes(bytes);
    }
}
