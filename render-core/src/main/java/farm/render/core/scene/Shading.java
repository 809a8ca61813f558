package farm.render.core.scene;

/**
 * Per-corner shading attributes of every triangle, in the triangle order of {@link Scene#positions()}.
 * Each array is either empty (the scene has no such attribute: geometric normals, no texture
 * coordinates) or full: normals 9 floats per triangle, tangents 12 (xyz and the bitangent sign w, as
 * glTF TANGENT), each UV set 6.
 */
public record Shading(float[] normals, float[] tangents, float[] uv0, float[] uv1) {
    public static final Shading NONE = new Shading(new float[0], new float[0], new float[0], new float[0]);

    public Shading {
        normals = normals == null ? new float[0] : normals;
        tangents = tangents == null ? new float[0] : tangents;
        uv0 = uv0 == null ? new float[0] : uv0;
        uv1 = uv1 == null ? new float[0] : uv1;
    }

    public boolean isEmpty() {
        return normals.length == 0 && tangents.length == 0 && uv0.length == 0 && uv1.length == 0;
    }

    /** Null when the arrays fit a scene of {@code triangles} triangles, else what is wrong. */
    public String problem(int triangles) {
        if (normals.length != 0 && normals.length != triangles * 9L) {
            return "normals must hold 9 floats per triangle";
        }
        if (tangents.length != 0 && tangents.length != triangles * 12L) {
            return "tangents must hold 12 floats per triangle";
        }
        if (uv0.length != 0 && uv0.length != triangles * 6L) {
            return "texture coordinates 0 must hold 6 floats per triangle";
        }
        if (uv1.length != 0 && uv1.length != triangles * 6L) {
            return "texture coordinates 1 must hold 6 floats per triangle";
        }
        for (float[] a : new float[][]{normals, tangents, uv0, uv1}) {
            for (float f : a) {
                if (!Float.isFinite(f)) {
                    return "shading attributes must be finite numbers";
                }
            }
        }
        return null;
    }
}
