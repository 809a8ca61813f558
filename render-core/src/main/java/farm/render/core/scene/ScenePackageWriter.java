package farm.render.core.scene;

import static farm.render.core.scene.ScenePackage.ANIMATION_NODE_BYTES;
import static farm.render.core.scene.ScenePackage.CAMERA_BYTES;
import static farm.render.core.scene.ScenePackage.FORMAT_VERSION;
import static farm.render.core.scene.ScenePackage.INSTANCED_VERSION;
import static farm.render.core.scene.ScenePackage.LIGHT_BYTES;
import static farm.render.core.scene.ScenePackage.MAGIC;
import static farm.render.core.scene.ScenePackage.MATERIAL_BYTES;
import static farm.render.core.scene.ScenePackage.TEXTURE_HEADER_BYTES;

import farm.render.core.bvh.Bvh;
import farm.render.core.bvh.QuantizedBvh;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.joml.Vector3fc;

/** Encodes a scene into the canonical package: its size counted first, then every section in {@link ScenePackage}'s order. */
final class ScenePackageWriter {
    private ScenePackageWriter() {
    }

    /** Triangles' material indices as runs: count, then material, for each run of equal indices. */
    static int[] materialRuns(int[] ids) {
        IntList runs = new IntList();
        for (int i = 0; i < ids.length; ) {
            int j = i;
            while (j < ids.length && ids[j] == ids[i]) {
                j++;
            }
            runs.add(j - i);
            runs.add(ids[i]);
            i = j;
        }
        return runs.toArray();
    }

    static byte[] encode(Scene scene) {
        Bvh bvh = scene.bvh();
        IndexedVertices geometry = IndexedVertices.of(scene.positions(), scene.shading());
        int[] runs = materialRuns(scene.materialIds());
        long geometryBytes = 4 + 4 + 4 + 4L * geometry.vertices().length + 4L * geometry.corners().length + 4 + 4L * runs.length;
        if (geometryBytes > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("the scene package would exceed 2 GiB");
        }
        int size = MAGIC.length + 4 + CAMERA_BYTES + 4 + (int) geometryBytes
                + 4 + 4 + scene.lights().size() * LIGHT_BYTES + 12 + (int) QuantizedBvh.size(bvh);
        for (Material m : scene.materials()) {
            size += 4 + utf8(m.name()).length + MATERIAL_BYTES;
        }
        for (String u : scene.unsupported()) {
            size += 4 + utf8(u).length;
        }
        size += animationSize(scene.animation());
        Instances instances = scene.instances();
        if (!instances.isEmpty()) {
            long instanceBytes = 4 + 4 + 4 + instances.count() * 52L;
            for (Instances.Mesh m : instances.meshes()) {
                instanceBytes += 8 + QuantizedBvh.size(m.bvh());
            }
            if (size + instanceBytes > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("the scene package would exceed 2 GiB");
            }
            size += (int) instanceBytes;
        }
        long total = (long) size + 4 + 8 + 4L * scene.environmentMap().rgb().length;
        for (Texture t : scene.textures()) {
            total += TEXTURE_HEADER_BYTES + t.rgba().length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the scene package would exceed 2 GiB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(instances.isEmpty() ? FORMAT_VERSION : INSTANCED_VERSION);
        Camera c = scene.camera();
        putVec(out, c.position());
        putVec(out, c.forward());
        putVec(out, c.up());
        out.putFloat(c.verticalFovRadians());
        out.putInt(scene.materials().size());
        for (Material m : scene.materials()) {
            putString(out, m.name());
            putRgb(out, m.baseColor());
            putRgb(out, m.emission());
            out.putFloat(m.metallic()).putFloat(m.roughness()).putFloat(m.specular()).putInt(m.doubleSided() ? 1 : 0);
            putRgb(out, m.specularColor());
            out.putFloat(m.ior()).putFloat(m.opacity()).putFloat(m.alphaCutoff());
            for (TextureSlot t : m.textures().slots()) {
                out.putInt(t.texture()).putInt(t.texCoord()).putFloat(t.offsetX()).putFloat(t.offsetY())
                        .putFloat(t.rotation()).putFloat(t.scaleX()).putFloat(t.scaleY()).putFloat(t.strength());
            }
        }
        out.putInt(scene.triangleCount()).putInt(geometry.vertexCount()).putInt(geometry.shadingBits());
        for (float f : geometry.vertices()) {
            out.putFloat(f);
        }
        for (int v : geometry.corners()) {
            out.putInt(v);
        }
        out.putInt(runs.length / 2);
        for (int v : runs) {
            out.putInt(v);
        }
        out.putInt(scene.lights().size());
        for (PunctualLight l : scene.lights()) {
            out.putInt(l.kind().ordinal());
            putVec(out, l.position());
            putVec(out, l.direction());
            putRgb(out, l.intensity());
            out.putFloat(l.innerCone()).putFloat(l.outerCone());
        }
        putRgb(out, scene.environment());
        if (!instances.isEmpty()) {
            out.putInt(scene.flatTriangleCount());
        }
        QuantizedBvh.write(out, bvh);
        out.putInt(scene.unsupported().size());
        for (String u : scene.unsupported()) {
            putString(out, u);
        }
        out.putInt(scene.textures().size());
        for (Texture t : scene.textures()) {
            out.putInt(t.width()).putInt(t.height()).putInt(t.wrapS().ordinal()).putInt(t.wrapT().ordinal())
                    .putInt(t.nearest() ? 1 : 0).put(t.rgba());
        }
        EnvironmentMap env = scene.environmentMap();
        out.putInt(env.width()).putInt(env.height());
        for (float f : env.rgb()) {
            out.putFloat(f);
        }
        putAnimation(out, scene.animation());
        if (!instances.isEmpty()) {
            putInstances(out, instances);
        }
        if (out.hasRemaining()) {
            throw new IllegalStateException("scene package size miscounted by " + out.remaining() + " bytes");
        }
        return out.array();
    }

    private static int animationSize(Animation a) {
        // rate, start, node count, nodes, channel count, mesh count, camera node and its three vectors
        int size = 4 + 4 + 4 + a.nodes().size() * ANIMATION_NODE_BYTES + 4 + 4 + 4 + 36;
        for (AnimationChannel c : a.channels()) {
            size += 16 + c.times().length * 4 + c.values().length * 4;
        }
        for (Animation.MeshBinding m : a.meshes()) {
            size += 12 + m.localPositions().length * 4;
        }
        return size;
    }

    private static void putAnimation(ByteBuffer out, Animation a) {
        out.putFloat(a.frameRate()).putInt(a.frameStart());
        out.putInt(a.nodes().size());
        for (Animation.Node n : a.nodes()) {
            out.putInt(n.parent());
            putFloats(out, n.restMatrix());
            putFloats(out, n.translation());
            putFloats(out, n.rotation());
            putFloats(out, n.scale());
        }
        out.putInt(a.channels().size());
        for (AnimationChannel c : a.channels()) {
            out.putInt(c.node()).putInt(c.target().ordinal()).putInt(c.interpolation().ordinal()).putInt(c.times().length);
            putFloats(out, c.times());
            putFloats(out, c.values());
        }
        out.putInt(a.meshes().size());
        for (Animation.MeshBinding m : a.meshes()) {
            out.putInt(m.node()).putInt(m.firstTriangle()).putInt(m.triangleCount());
            putFloats(out, m.localPositions());
        }
        Animation.CameraBinding c = a.camera();
        out.putInt(c.node());
        putVec(out, c.position());
        putVec(out, c.lookAt());
        putVec(out, c.up());
    }

    private static void putInstances(ByteBuffer out, Instances instances) {
        out.putInt(instances.meshes().size());
        for (Instances.Mesh m : instances.meshes()) {
            out.putInt(m.firstTriangle()).putInt(m.triangleCount());
            QuantizedBvh.write(out, m.bvh());
        }
        out.putInt(instances.count());
        for (int i = 0; i < instances.count(); i++) {
            out.putInt(instances.meshOf()[i]);
            for (int k = 0; k < 12; k++) {
                out.putFloat(instances.transforms()[i * 12 + k]);
            }
        }
    }

    private static void putFloats(ByteBuffer out, float[] values) {
        for (float f : values) {
            out.putFloat(f);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer out, String s) {
        byte[] b = utf8(s);
        out.putInt(b.length).put(b);
    }

    private static void putVec(ByteBuffer out, Vector3fc v) {
        out.putFloat(v.x()).putFloat(v.y()).putFloat(v.z());
    }

    private static void putRgb(ByteBuffer out, Rgb c) {
        out.putFloat(c.r()).putFloat(c.g()).putFloat(c.b());
    }
}
