package farm.render.core.scene;

/**
 * Per-corner shading attributes of every triangle, in the triangle order of {@link Scene#positions()}.
 * Each array is either empty (the scene has no such attribute: geometric normals, no texture
 * coordinates) or full: normals 9 floats per triangle, tangents 12 (xyz and the bitangent sign w, as
 * glTF TANGENT), each UV set 6.
 */
public record Shading(float[] normals, float[] tangents, float[] uv0, float[] uv1) {
    public static final Shading NONE = new Shading(new float[0], new float[0], new float[0], new float[0]);
    /** Floats per corner of each attribute, in the order of {@link #arrays()}: normal, tangent, each UV set. */
    static final int[] CORNER_FLOATS = {3, 4, 2, 2};
    private static final String[] NAMES = {"normals", "tangents", "texture coordinates 0", "texture coordinates 1"};

    public Shading {
        normals = normals == null ? new float[0] : normals;
        tangents = tangents == null ? new float[0] : tangents;
        uv0 = uv0 == null ? new float[0] : uv0;
        uv1 = uv1 == null ? new float[0] : uv1;
    }

    public boolean isEmpty() {
        return normals.length == 0 && tangents.length == 0 && uv0.length == 0 && uv1.length == 0;
    }

    /** The four attributes in a fixed order: normals, tangents, UV set 0, UV set 1. */
    float[][] arrays() {
        return new float[][]{normals, tangents, uv0, uv1};
    }

    /** Null when the arrays fit a scene of {@code triangles} triangles, else what is wrong. */
    public String problem(int triangles) {
        float[][] arrays = arrays();
        for (int k = 0; k < arrays.length; k++) {
            int perTriangle = 3 * CORNER_FLOATS[k];
            if (arrays[k].length != 0 && arrays[k].length != triangles * (long) perTriangle) {
                return NAMES[k] + " must hold " + perTriangle + " floats per triangle";
            }
        }
        for (float[] a : arrays) {
            for (float f : a) {
                if (!Float.isFinite(f)) {
                    return "shading attributes must be finite numbers";
                }
            }
        }
        return null;
    }
}
