package farm.render.core.scene;

import farm.render.core.bvh.Bvh;
import farm.render.core.bvh.BvhBuilder;
import java.util.List;
import org.joml.Vector3f;

/**
 * A renderable scene: world-space triangles with one material each, meshes placed as instances, punctual
 * lights, a uniform environment, a camera, and the SAH hierarchy over the world-space triangles. This is what the
 * canonical scene package holds and what every renderer (worker and verifier) draws.
 *
 * @param positions      nine floats per triangle (three vertices, x y z each): the flat triangles in world space,
 *                       then the instanced meshes' triangles in their own space
 * @param materialIds    one material index per triangle
 * @param unsupported    features of the source file this version does not render, for the scene summary
 * @param environment    radiance arriving from every direction that escapes the scene
 * @param bvh            the hierarchy over the flat triangles; built here when a scene is made in code
 * @param animation      node animation that turns the scene into a frame sequence ({@link #posed(int)});
 *                       {@link Animation#NONE} for a still scene
 * @param textures       decoded textures the materials' {@link TextureSlot}s index
 * @param shading        per-corner normals, tangents and texture coordinates; {@link Shading#NONE} for flat, untextured scenes
 * @param environmentMap an equirectangular environment that replaces {@code environment} when present
 * @param instances      meshes stored once and placed many times; {@link Instances#NONE} when every triangle is flat
 */
public record Scene(Camera camera, List<Material> materials, float[] positions, int[] materialIds,
                    List<String> unsupported, List<PunctualLight> lights, Rgb environment, Bvh bvh, Animation animation,
                    List<Texture> textures, Shading shading, EnvironmentMap environmentMap, Instances instances) {
    public Scene {
        materials = List.copyOf(materials);
        unsupported = List.copyOf(unsupported);
        lights = List.copyOf(lights);
        textures = List.copyOf(textures);
        shading = shading == null ? Shading.NONE : shading;
        environmentMap = environmentMap == null ? EnvironmentMap.NONE : environmentMap;
        instances = instances == null ? Instances.NONE : instances;
        if (positions.length != materialIds.length * 9) {
            throw new IllegalArgumentException("positions must hold nine floats per triangle");
        }
        String instanceProblem = instances.problem(materialIds.length, materials, materialIds);
        if (instanceProblem != null) {
            throw new IllegalArgumentException(instanceProblem);
        }
        int flat = materialIds.length - instances.meshTriangles();
        String problem = bvh.validate(flat);
        if (problem != null) {
            throw new IllegalArgumentException("invalid hierarchy: " + problem);
        }
        String shadingProblem = shading.problem(materialIds.length);
        if (shadingProblem != null) {
            throw new IllegalArgumentException(shadingProblem);
        }
        for (Material m : materials) {
            for (TextureSlot slot : m.textures().slots()) {
                if (slot.texture() >= textures.size()) {
                    throw new IllegalArgumentException("material '" + m.name() + "' uses texture " + slot.texture()
                            + " of " + textures.size());
                }
            }
        }
        for (Animation.MeshBinding m : animation.meshes()) {
            if ((long) m.firstTriangle() + m.triangleCount() > flat) {
                throw new IllegalArgumentException("an animated mesh names triangles beyond the scene's " + flat + " flat ones");
            }
        }
    }

    /** A scene without instances. */
    public Scene(Camera camera, List<Material> materials, float[] positions, int[] materialIds, List<String> unsupported,
                 List<PunctualLight> lights, Rgb environment, Bvh bvh, Animation animation, List<Texture> textures,
                 Shading shading, EnvironmentMap environmentMap) {
        this(camera, materials, positions, materialIds, unsupported, lights, environment, bvh, animation, textures, shading,
                environmentMap, Instances.NONE);
    }

    public Scene(Camera camera, List<Material> materials, float[] positions, int[] materialIds, List<String> unsupported,
                 List<PunctualLight> lights, Rgb environment, Bvh bvh) {
        this(camera, materials, positions, materialIds, unsupported, lights, environment, bvh, Animation.NONE);
    }

    public Scene(Camera camera, List<Material> materials, float[] positions, int[] materialIds, List<String> unsupported,
                 List<PunctualLight> lights, Rgb environment, Bvh bvh, Animation animation) {
        this(camera, materials, positions, materialIds, unsupported, lights, environment, bvh, animation, List.of(),
                Shading.NONE, EnvironmentMap.NONE);
    }

    /** A scene lit by its emissive triangles only, with a black environment. */
    public Scene(Camera camera, List<Material> materials, float[] positions, int[] materialIds, List<String> unsupported) {
        this(camera, materials, positions, materialIds, unsupported, List.of(), Rgb.BLACK);
    }

    public Scene(Camera camera, List<Material> materials, float[] positions, int[] materialIds, List<String> unsupported,
                 List<PunctualLight> lights, Rgb environment) {
        this(camera, materials, positions, materialIds, unsupported, lights, environment, BvhBuilder.build(positions));
    }

    /** A scene with textures, shading attributes or an environment map; the hierarchy is built here. */
    public Scene(Camera camera, List<Material> materials, float[] positions, int[] materialIds, List<String> unsupported,
                 List<PunctualLight> lights, Rgb environment, List<Texture> textures, Shading shading,
                 EnvironmentMap environmentMap) {
        this(camera, materials, positions, materialIds, unsupported, lights, environment, BvhBuilder.build(positions),
                Animation.NONE, textures, shading, environmentMap);
    }

    /** The same scene driven by {@code animation}. */
    public Scene withAnimation(Animation animation) {
        return new Scene(camera, materials, positions, materialIds, unsupported, lights, environment, bvh, animation,
                textures, shading, environmentMap, instances);
    }

    /**
     * The scene as farm frame {@code frame} shows it: camera and triangles posed, with a hierarchy rebuilt
     * when triangles moved. A still scene returns itself. Same scene and frame, same bytes.
     */
    public Scene posed(int frame) {
        return animation.pose(this, frame);
    }

    /**
     * What a renderer may cache frame {@code frame}'s uploaded geometry under, given the package digest:
     * the digest when every frame has the rest geometry, digest and frame when triangles move.
     */
    public String geometryKey(String digest, int frame) {
        return animation.movesGeometry() ? digest + "@frame" + frame : digest;
    }

    /**
     * This scene's materials, textures, lights and instances with another camera, geometry and shading attributes
     * (texture coordinates stay with their triangles; the poser turns normals and tangents); a still frame.
     */
    Scene reposed(Camera camera, float[] positions, Bvh bvh, Shading shading) {
        return new Scene(camera, materials, positions, materialIds, unsupported, lights, environment, bvh, Animation.NONE,
                textures, shading, environmentMap, instances);
    }

    /** Triangles the scene stores: the flat ones and each instanced mesh's once. */
    public int triangleCount() {
        return materialIds.length;
    }

    /** The world-space triangles under {@link #bvh()}: the first ones of the triangle arrays. */
    public int flatTriangleCount() {
        return materialIds.length - instances.meshTriangles();
    }

    /** Triangles the scene shows: the flat ones and, for every instance, its mesh's. */
    public long placedTriangleCount() {
        return flatTriangleCount() + instances.placedTriangles();
    }

    public Vector3f vertex(int triangle, int corner) {
        int o = triangle * 9 + corner * 3;
        return new Vector3f(positions[o], positions[o + 1], positions[o + 2]);
    }

    public long emissiveTriangleCount() {
        long n = 0;
        for (int id : materialIds) {
            if (materials.get(id).isEmissive()) {
                n++;
            }
        }
        return n;
    }
}
