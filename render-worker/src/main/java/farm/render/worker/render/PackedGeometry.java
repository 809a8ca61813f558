package farm.render.worker.render;

import farm.render.core.scene.Scene;
import farm.render.core.scene.Shading;
import java.nio.ByteBuffer;

/**
 * A scene's triangles in the byte layout of scene.glsl, shared vertices stored once ({@link CornerVertices}): the
 * vertices, numbered in order of first use by the upload order, each its position and its {@link OctahedralNormal};
 * four words per triangle, its three vertex indices and its material id; and where the scene has texture coordinates
 * or tangents, one texel per vertex of both UV sets, then one of its tangent when the scene has tangents. Positions,
 * UVs and tangents keep their float bits, so an edge the device subtracts is the one Java would compute.
 *
 * @param shadingStride texels per vertex in {@code shading}: 2 with tangents, else 1
 */
record PackedGeometry(ByteBuffer vertices, ByteBuffer triangles, ByteBuffer shading, int vertexCount, int shadingStride) {
    static final int VERTEX_BYTES = 16;
    static final int TRIANGLE_BYTES = 16;

    /**
     * @param order    the scene triangle of each upload slot
     * @param textured whether a material samples a texture (then every vertex gets UVs, zeros when the scene has none)
     * @param space    where the buffers are made (the device's memory, so the host holds no copy)
     */
    static PackedGeometry of(Scene scene, int[] order, boolean textured, PackedScene.Space space) {
        CornerVertices shared = new CornerVertices(scene);
        int[] ids = scene.materialIds();
        ByteBuffer triangles = space.allocate((long) order.length * TRIANGLE_BYTES);
        for (int t : order) {
            triangles.putInt(shared.vertexOf(t * 3)).putInt(shared.vertexOf(t * 3 + 1)).putInt(shared.vertexOf(t * 3 + 2))
                    .putInt(ids[t]);
        }
        int count = shared.count();
        Shading sh = scene.shading();
        float[] p = scene.positions();
        float[] n = sh.normals();
        float[] tan = sh.tangents();
        float[] uv0 = sh.uv0();
        float[] uv1 = sh.uv1();
        int stride = tan.length > 0 ? 2 : 1;
        boolean shaded = tan.length > 0 || uv0.length > 0 || uv1.length > 0 || textured;
        ByteBuffer vertices = space.allocate((long) count * VERTEX_BYTES);
        ByteBuffer shading = shaded ? space.allocate((long) count * stride * 16) : PackedScene.HEAP.allocate(16);
        for (int v = 0; v < count; v++) {
            int c = shared.corner(v);
            vertices.putFloat(p[c * 3]).putFloat(p[c * 3 + 1]).putFloat(p[c * 3 + 2])
                    .putInt(n.length == 0 ? OctahedralNormal.ZERO : OctahedralNormal.encode(n[c * 3], n[c * 3 + 1], n[c * 3 + 2]));
            if (shaded) {
                shading.putFloat(at(uv0, c * 2)).putFloat(at(uv0, c * 2 + 1)).putFloat(at(uv1, c * 2)).putFloat(at(uv1, c * 2 + 1));
                for (int k = 0; k < (tan.length > 0 ? 4 : 0); k++) {
                    shading.putFloat(tan[c * 4 + k]);
                }
            }
        }
        return new PackedGeometry(vertices.flip(), triangles.flip(), shaded ? shading.flip() : shading, count, stride);
    }

    /** Device bytes of the three buffers, from the vertex count alone (no buffers made). */
    static long deviceBytes(Scene scene, int[] order, boolean textured) {
        CornerVertices shared = new CornerVertices(scene);
        for (int t : order) {
            for (int k = 0; k < 3; k++) {
                shared.vertexOf(t * 3 + k);
            }
        }
        Shading sh = scene.shading();
        boolean shaded = sh.tangents().length > 0 || sh.uv0().length > 0 || sh.uv1().length > 0 || textured;
        long stride = sh.tangents().length > 0 ? 2 : 1;
        return (long) order.length * TRIANGLE_BYTES + (long) shared.count() * VERTEX_BYTES
                + (shaded ? shared.count() * stride * 16 : 16);
    }

    private static float at(float[] a, int i) {
        return a.length == 0 ? 0f : a[i];
    }
}
