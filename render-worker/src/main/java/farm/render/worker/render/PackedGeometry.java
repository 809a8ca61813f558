package farm.render.worker.render;

import farm.render.core.scene.IndexedVertices;
import farm.render.core.scene.Scene;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A scene's triangles in the byte layout of scene.glsl, shared vertices stored once: the vertices, numbered in order
 * of first use by the upload order, each its position and its {@link OctahedralNormal}; four words per triangle, its
 * three vertex indices and its material id; and where the scene has texture coordinates or tangents, one texel per
 * vertex of both UV sets, then one of its tangent when the scene has tangents. Positions, UVs and tangents keep their
 * float bits, so an edge the device subtracts is the one Java would compute.
 *
 * @param shadingStride texels per vertex in {@code shading}: 2 with tangents, else 1
 */
record PackedGeometry(ByteBuffer vertices, ByteBuffer triangles, ByteBuffer shading, int vertexCount, int shadingStride) {
    static final int VERTEX_BYTES = 16;
    static final int TRIANGLE_BYTES = 16;
    private static final int NORMAL = 0;
    private static final int TANGENT = 1;
    private static final int UV0 = 2;
    private static final int UV1 = 3;

    /**
     * @param order    the scene triangle of each upload slot
     * @param textured whether a material samples a texture (then every vertex gets UVs, zeros when the scene has none)
     */
    static PackedGeometry of(Scene scene, int[] order, boolean textured) {
        IndexedVertices table = IndexedVertices.of(scene.positions(), scene.shading());
        int[] corners = table.corners();
        int[] ids = scene.materialIds();
        int[] slotOf = new int[table.vertexCount()];
        Arrays.fill(slotOf, -1);
        int count = 0;
        ByteBuffer triangles = le((long) order.length * TRIANGLE_BYTES);
        for (int t : order) {
            for (int c = 0; c < 3; c++) {
                int v = corners[t * 3 + c];
                if (slotOf[v] < 0) {
                    slotOf[v] = count++;
                }
                triangles.putInt(slotOf[v]);
            }
            triangles.putInt(ids[t]);
        }
        float[] v = table.vertices();
        int width = table.width();
        int normal = table.offset(NORMAL);
        int tangent = table.offset(TANGENT);
        int uv0 = table.offset(UV0);
        int uv1 = table.offset(UV1);
        int stride = tangent >= 0 ? 2 : 1;
        boolean shaded = tangent >= 0 || uv0 >= 0 || uv1 >= 0 || textured;
        ByteBuffer vertices = le((long) count * VERTEX_BYTES);
        ByteBuffer shading = le(shaded ? (long) count * stride * 16 : 16);
        for (int vertex = 0; vertex < slotOf.length; vertex++) {
            int slot = slotOf[vertex];
            if (slot < 0) {
                continue;
            }
            int o = vertex * width;
            int at = slot * VERTEX_BYTES;
            vertices.putFloat(at, v[o]).putFloat(at + 4, v[o + 1]).putFloat(at + 8, v[o + 2]).putInt(at + 12,
                    normal < 0 ? OctahedralNormal.ZERO : OctahedralNormal.encode(v[o + normal], v[o + normal + 1], v[o + normal + 2]));
            if (shaded) {
                int s = slot * stride * 16;
                shading.putFloat(s, at(v, o, uv0, 0)).putFloat(s + 4, at(v, o, uv0, 1))
                        .putFloat(s + 8, at(v, o, uv1, 0)).putFloat(s + 12, at(v, o, uv1, 1));
                for (int k = 0; k < (tangent >= 0 ? 4 : 0); k++) {
                    shading.putFloat(s + 16 + 4 * k, v[o + tangent + k]);
                }
            }
        }
        return new PackedGeometry(vertices, triangles.flip(), shading, count, stride);
    }

    private static float at(float[] v, int vertex, int offset, int k) {
        return offset < 0 ? 0f : v[vertex + offset + k];
    }

    private static ByteBuffer le(long bytes) {
        return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
