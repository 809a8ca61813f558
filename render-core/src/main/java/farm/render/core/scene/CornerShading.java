package farm.render.core.scene;

import org.joml.Matrix3fc;
import org.joml.Matrix4fc;
import org.joml.Vector3f;
import org.lwjgl.assimp.AIVector3D;

/**
 * Per-corner normals, tangents and UV sets in world space, in triangle order. Corners of meshes
 * without an attribute get the flat normal, a tangent from the UVs, or UV (0, 0); an attribute no
 * mesh has is left out of the scene. UVs are stored as glTF has them (v down the image): Assimp
 * hands them over flipped to v up.
 */
final class CornerShading {
    private final FloatList normals = new FloatList();
    private final FloatList tangents = new FloatList();
    private final FloatList uv0 = new FloatList();
    private final FloatList uv1 = new FloatList();
    private boolean anyNormals;
    private boolean anyTangents;
    private boolean anyUv0;
    private boolean anyUv1;
    /** Whether tangents are kept: only a material with a normal map reads them. */
    private final boolean withTangents;

    CornerShading(boolean withTangents) {
        this.withTangents = withTangents;
    }

    /**
     * The corners of the triangle last added to {@code positions} (world space), from mesh vertices
     * {@code corner} and the mesh's attribute buffers (null where the mesh has none).
     */
    void addTriangle(FloatList positions, Matrix4fc world, Matrix3fc normalMatrix, int[] corner, AIVector3D.Buffer n,
                     AIVector3D.Buffer t, AIVector3D.Buffer b, AIVector3D.Buffer t0, AIVector3D.Buffer t1) {
        int base = positions.size - 9;
        float[] p = positions.data;
        Vector3f e1 = new Vector3f(p[base + 3] - p[base], p[base + 4] - p[base + 1], p[base + 5] - p[base + 2]);
        Vector3f e2 = new Vector3f(p[base + 6] - p[base], p[base + 7] - p[base + 1], p[base + 8] - p[base + 2]);
        Vector3f flat = Directions.unit(e1.cross(e2, new Vector3f()));
        anyNormals |= n != null;
        anyTangents |= t != null && b != null && n != null;
        anyUv0 |= t0 != null;
        anyUv1 |= t1 != null;
        float[] u = new float[6];
        for (int c = 0; c < 3; c++) {
            AIVector3D a = t0 == null ? null : t0.get(corner[c]);
            u[c * 2] = a == null ? 0 : a.x();
            u[c * 2 + 1] = a == null ? 0 : 1 - a.y();
            uv0.add(u[c * 2], u[c * 2 + 1]);
            AIVector3D a1 = t1 == null ? null : t1.get(corner[c]);
            uv1.add(a1 == null ? 0 : a1.x(), a1 == null ? 0 : 1 - a1.y());
        }
        Vector3f[] cornerNormals = new Vector3f[3];
        for (int c = 0; c < 3; c++) {
            Vector3f normal = cornerNormal(n, corner[c], normalMatrix, flat);
            normals.add(normal.x(), normal.y(), normal.z());
            cornerNormals[c] = normal;
        }
        if (!withTangents) {
            return;
        }
        // Face tangent from UV set 0 (Lengyel 2001), with v up the image as normal maps' green channel reads.
        float du1 = u[2] - u[0];
        float dv1 = -(u[3] - u[1]);
        float du2 = u[4] - u[0];
        float dv2 = -(u[5] - u[1]);
        float det = du1 * dv2 - du2 * dv1;
        boolean solvable = Math.abs(det) > 1e-20f;
        Vector3f faceT = solvable ? e1.mul(dv2, new Vector3f()).sub(e2.mul(dv1, new Vector3f())).mul(1 / det) : e1;
        Vector3f faceB = solvable ? e2.mul(du1, new Vector3f()).sub(e1.mul(du2, new Vector3f())).mul(1 / det)
                : flat.cross(e1, new Vector3f());
        for (int c = 0; c < 3; c++) {
            Vector3f normal = cornerNormals[c];
            Vector3f tangent = new Vector3f(faceT);
            float w = normal.cross(faceT, new Vector3f()).dot(faceB) < 0 ? -1f : 1f;
            if (t != null && b != null) {
                AIVector3D tv = t.get(corner[c]);
                AIVector3D bv = b.get(corner[c]);
                world.transformDirection(tv.x(), tv.y(), tv.z(), tangent);
                Vector3f bitangent = world.transformDirection(bv.x(), bv.y(), bv.z(), new Vector3f());
                w = normal.cross(tangent, new Vector3f()).dot(bitangent) < 0 ? -1f : 1f;
            }
            Directions.unit(tangent);
            if (!tangent.isFinite()) {
                tangent.set(1, 0, 0);
            }
            tangents.add(tangent.x(), tangent.y(), tangent.z());
            tangents.add(w);
        }
    }

    /** The mesh's normal at vertex {@code v} in world space, or the flat normal where the mesh has none or a broken one. */
    private static Vector3f cornerNormal(AIVector3D.Buffer n, int v, Matrix3fc normalMatrix, Vector3f flat) {
        if (n == null) {
            return flat;
        }
        AIVector3D a = n.get(v);
        Vector3f normal = Directions.unit(normalMatrix.transform(a.x(), a.y(), a.z(), new Vector3f()));
        return !normal.isFinite() || normal.length() == 0 ? flat : normal;
    }

    Shading toShading() {
        return new Shading(anyNormals ? normals.toArray() : null, withTangents ? tangents.toArray() : null,
                anyUv0 ? uv0.toArray() : null, anyUv1 ? uv1.toArray() : null);
    }
}
