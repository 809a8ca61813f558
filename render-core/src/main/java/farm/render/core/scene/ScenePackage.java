package farm.render.core.scene;

import java.nio.charset.StandardCharsets;

/**
 * The canonical scene package: the one byte format every worker and the verifier render. Encoding
 * is deterministic (same scene, same bytes, same digest), little-endian, and versioned by
 * {@link #FORMAT_VERSION}; a reader refuses versions it does not know. This class holds the format;
 * {@link ScenePackageWriter} and {@link ScenePackageReader} hold the two directions.
 *
 * <pre>
 * "RFSCENE\0"  int version
 * camera       position(3f) forward(3f) up(3f) yfov(f)
 * int m        m × { int nameLength, utf8 name, baseColor(3f), emission(3f), metallic(f), roughness(f),
 *                    specular(f), int flags (bit 0: double-sided), specularColor(3f), ior(f), opacity(f),
 *                    alphaCutoff(f), 4 × slot { int texture, int texCoord, offset(2f), rotation(f), scale(2f),
 *                    strength(f) } (base colour, metallic-roughness, normal, emissive) }
 * int t        triangles
 * int v        v vertices: a triangle corner's position and its shading attributes, each vertex once (same bits)
 * int s        shading bits (0 normals, 1 tangents, 2 uv0, 3 uv1)
 *              v × { position(3f), then each present attribute: normal(3f), tangent(4f), uv0(2f), uv1(2f) }
 *              t × 3 ints vertex of each corner
 * int r        r × { int count, int material }   the triangles' materials in runs
 * int l        l × { int kind, position(3f), direction(3f), intensity(3f), innerCone(f), outerCone(f) }
 * environment  radiance(3f)
 * [format 5: int f   the flat triangles, the first f; the rest are instanced meshes']
 * int n        the BVH over the flat triangles: the root's bounds (6f), the other n - 1 nodes' bounds as 6 bytes each (steps of 1/255 of the
 *              parent's box, rounded outwards), n bytes of shape (0 interior, c a leaf of c triangles; links follow
 *              from the depth-first layout), t × int triangle order
 * int u        u × { int length, utf8 text }   unsupported source features
 * int x        x × { int width, int height, int wrapS, int wrapT, int nearest, width × height × 4 bytes RGBA8 }
 * environment map: int width, int height, width × height × 3 floats (0 × 0: none)
 * animation    frameRate(f) int frameStart
 *              int n  n × { int parent, rest matrix(16f, row-major), translation(3f), rotation(4f xyzw), scale(3f) }
 *              int c  c × { int node, int target, int interpolation, int keys, keys × f times, values(f) }
 *              int b  b × { int node, int firstTriangle, int count, count × 9 floats node-space positions }
 *              int cameraNode (-1: the camera does not move), position(3f) lookAt(3f) up(3f)   (node space)
 * [format 5: instances
 *              int k  k × { int firstTriangle, int count, the mesh's BVH as above over its count triangles }
 *              int i  i × { int mesh, 12 floats: the 3×4 mesh-to-world matrix, row-major } ]
 * </pre>
 * A scene without instances is written in format 4, so its bytes and digest do not depend on whether this build
 * knows instancing.
 * Format 3 ({@link #PER_CORNER_VERSION}), still read, held three positions per triangle, one material index per
 * triangle, full-float node bounds and both links of every node, and, after the unsupported features, the shading
 * attributes per corner.
 */
public final class ScenePackage {
    public static final int FORMAT_VERSION = 4;
    /** Format 4 with meshes placed as instances: the flat triangle count before the BVH, the instances at the end. */
    static final int INSTANCED_VERSION = 5;
    /** The format before indexed vertices; packages stored in it are still read. */
    static final int PER_CORNER_VERSION = 3;
    public static final int MAX_TEXTURES = 4096;
    /** Decoded texels of all textures together: what one storage buffer of a worker holds. */
    public static final long MAX_TEXTURE_BYTES = 512L << 20;
    public static final int MAX_LIGHTS = 4096;
    public static final int MAX_TRIANGLES = 20_000_000;
    public static final int MAX_MATERIALS = 65_536;
    public static final int MAX_ANIMATION_NODES = 65_536;
    public static final int MAX_ANIMATION_KEYS = 1_000_000;
    static final int MAX_STRING = 4096;
    static final int MAX_UNSUPPORTED = 1024;

    static final byte[] MAGIC = "RFSCENE\0".getBytes(StandardCharsets.US_ASCII);
    /** Position, forward, up and vertical field of view. */
    static final int CAMERA_BYTES = 40;
    /** A material without its name: colours, factors, flags and its texture slots. */
    static final int MATERIAL_BYTES = 40 + 24 + 4 * 32;
    static final int LIGHT_BYTES = 48;
    /** Width, height, two wrap modes and the nearest flag ahead of a texture's texels. */
    static final int TEXTURE_HEADER_BYTES = 20;
    /** Parent, rest matrix (16), translation (3), rotation (4) and scale (3). */
    static final int ANIMATION_NODE_BYTES = 4 + 26 * 4;

    private ScenePackage() {
    }

    public static byte[] encode(Scene scene) {
        return ScenePackageWriter.encode(scene);
    }

    public static Scene decode(byte[] bytes) throws InvalidSceneException {
        return ScenePackageReader.decode(bytes);
    }
}
