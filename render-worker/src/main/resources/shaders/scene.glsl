// scene.glsl: the scene as uploaded by farm.render.worker.render.PackedScene (same layout).

// The scene's read-only data are uniform texel buffers of 32-bit unsigned texels (RGBA32UI or R32UI), floats as
// their bits: lavapipe gathers texels across its SIMD lanes in a few vector instructions, where a storage
// buffer read becomes a bounds-checked scalar load per lane and component. Texel fetches return the bits
// stored on every device (no filtering, no float conversion), so the images stay the same everywhere.

// Vertices (PackedGeometry), in order of first use by the triangles: position xyz, w its octahedral normal.
layout(set = 0, binding = 0) uniform usamplerBuffer vertexTexels;
// Triangles in the hierarchy's order, one texel each: the indices of corners 0, 1, 2 and the material index.
layout(set = 0, binding = 1) uniform usamplerBuffer triangleTexels;

// A material's use of a texture: rows of the 2x3 UV transform (KHR_texture_transform), the texture
// index in u.w (negative: none) and the UV set in v.w.
struct TextureSlotGpu {
    vec4 u;
    vec4 v;
};

struct MaterialGpu {
    vec4 baseColor;   // rgb base colour, w metallic
    vec4 emission;    // rgb radiance, w 1 when both faces emit (else the front face only)
    vec4 params;      // x perceptual roughness, y specular weight, z opacity, w alpha cutoff (negative: opaque)
    vec4 specular;    // rgb dielectric F0 (from ior and specular colour), w normal map strength
    TextureSlotGpu maps[4];   // base colour, metallic-roughness, normal, emissive
};
const uint MAP_BASE = 0u;
const uint MAP_METALLIC_ROUGHNESS = 1u;
const uint MAP_NORMAL = 2u;
const uint MAP_EMISSIVE = 3u;
// Twelve texels per material, in MaterialGpu's field order.
layout(set = 0, binding = 2) uniform usamplerBuffer materialTexels;

// Two texels per emissive triangle: x its index in the triangle list; y the bits of its cdf (cumulative area up
// to and including it, divided by the total); z the bits of its area; then its unit normal, e1 x e2 normalised
// (lightTriangle, lightCdf, lightNormal below).
layout(set = 0, binding = 3) uniform usamplerBuffer lightTexels;

layout(std430, set = 0, binding = 4) readonly buffer Pixels { uvec2 pixels[]; };
// Sums over the sample passes so far; the last pass leaves the mean.
layout(std430, set = 0, binding = 5) buffer Radiance { vec4 radiance[]; };

// The four-wide hierarchy, four texels per node with quantized child boxes (bvh.glsl).
layout(set = 0, binding = 6) uniform usamplerBuffer nodeTexels;

// KHR_lights_punctual lights; kind 0 point, 1 spot, 2 directional.
struct PunctualGpu {
    vec4 position;    // xyz position, w kind
    vec4 direction;   // xyz direction light travels, w cos(inner cone)
    vec4 intensity;   // rgb intensity (W/sr) or irradiance (W/m^2, directional), w cos(outer cone)
};
// Texel 0: rgb uniform environment radiance; texel 1: x SCENE_* flags, y z environment map width and height,
// w its total sampling weight; then three texels per PunctualGpu.
layout(set = 0, binding = 7) uniform usamplerBuffer punctualTexels;
// Features the scene may use, fixed when the pipeline is built (specialization constant 0, bits as
// PackedScene.FEATURE_*). A feature left out compiles its code away: lavapipe runs both sides of a
// branch under a lane mask, so code for a feature the scene lacks would otherwise cost every path.
// A feature's code still checks the scene itself, so a pipeline with more features renders the same.
layout(constant_id = 0) const uint FEATURES = 0xffffffffu;
const bool MAY_BASE_MAP = (FEATURES & 1u) != 0u;
const bool MAY_METALLIC_ROUGHNESS_MAP = (FEATURES & 2u) != 0u;
const bool MAY_NORMAL_MAP = (FEATURES & 4u) != 0u;
const bool MAY_EMISSIVE_MAP = (FEATURES & 8u) != 0u;
const bool MAY_MASK = (FEATURES & 16u) != 0u;
const bool MAY_SHADING_NORMALS = (FEATURES & 32u) != 0u;
const bool MAY_ENVIRONMENT_MAP = (FEATURES & 64u) != 0u;
const bool MAY_PUNCTUAL = (FEATURES & 128u) != 0u;
const bool MAY_AREA_LIGHTS = (FEATURES & 256u) != 0u;
const bool MAY_GLOSSY = (FEATURES & 512u) != 0u;   // a material with a specular layer or metalness
const bool MAY_ENVIRONMENT = (FEATURES & 1024u) != 0u;   // a uniform environment or a map
const bool MAY_INSTANCES = (FEATURES & 2048u) != 0u;   // meshes placed as instances

const uint SCENE_NORMALS = 1u;
const uint SCENE_TANGENTS = 2u;
const uint SCENE_UV0 = 4u;
const uint SCENE_UV1 = 8u;
const uint SCENE_MASKED = 16u;
const uint SCENE_ENVIRONMENT_MAP = 32u;

// Per-vertex shading attributes, in the vertices' order: (uv0, uv1), then with SCENE_TANGENTS the tangent (w:
// bitangent sign).
layout(set = 0, binding = 8) uniform usamplerBuffer shadingTexels;

// Textures: four words per texture (first texel's index, width, height, sampler bits: wrapS | wrapT << 2 |
// nearest << 4), then the RGBA8 texels of every texture, rows top to bottom.
layout(set = 0, binding = 9) uniform usamplerBuffer textureTexels;

// Environment map: width x height RGB texels (rows from +Y down), then the marginal cdf over rows
// (height floats), then each row's conditional cdf (width x height floats).
layout(set = 0, binding = 10) uniform usamplerBuffer environmentTexels;

// Instances (bvh.glsl's instance table): the top level's first node and the instance count, then seven texels per
// instance.
layout(set = 0, binding = 11) uniform usamplerBuffer instanceTexels;

layout(push_constant) uniform Params {
    vec4 cameraPosition;   // w: tan(verticalFov / 2)
    vec4 cameraForward;    // w: aspect = width / height
    vec4 cameraRight;
    vec4 cameraUp;
    uint imageWidth;
    uint imageHeight;
    uint samplesPerPixel;
    uint maxBounces;       // low 16 bits: bounce limit; bit 16: no light sampling (BSDF sampling only)
    uint seedLo;
    uint seedHi;
    uint frame;
    uint pixelOffset;      // first pixel of this dispatch in the pixel list
    uint pixelCount;       // pixels in this dispatch
    uint nodeCount;
    uint lightCount;
    float totalLightArea;
    uint punctualCount;
    uint sampleOffset;     // first sample index of this pass
    uint sampleCount;      // samples of this pass
    float clampIndirect;   // largest indirect radiance per channel and sample; 0: no clamp
} params;

vec4 texelVec4(usamplerBuffer b, uint i) { return uintBitsToFloat(texelFetch(b, int(i))); }
uint texelWord(usamplerBuffer b, uint i) { return texelFetch(b, int(i)).x; }

uvec4 triCorners(uint t) { return texelFetch(triangleTexels, int(t)); }
vec3 vertexPosition(uint v) { return texelVec4(vertexTexels, v).xyz; }
// Corner 0 of a triangle and its edges to corners 1 and 2.
struct TriangleGeometry {
    vec3 v0;
    vec3 e1;
    vec3 e2;
};
// The edges are subtracted here, correctly rounded as Java's float subtraction: the same bits on every device.
TriangleGeometry triangleAt(uint t) {
    uvec4 c = triCorners(t);
    vec3 v0 = vertexPosition(c.x);
    return TriangleGeometry(v0, vertexPosition(c.y) - v0, vertexPosition(c.z) - v0);
}

// OctahedralNormal's decoding: the folded octahedron in whole numbers (exact in floats), then normalised; the
// reserved x = -32768 is the zero vector.
vec3 octahedralNormal(uint w) {
    int qx = int(w << 16u) >> 16;
    int qy = int(w) >> 16;
    float x = float(qx);
    float y = float(qy);
    float z = 32767.0 - abs(x) - abs(y);
    if (z < 0.0) {
        x = (32767.0 - abs(float(qy))) * (qx >= 0 ? 1.0 : -1.0);
        y = (32767.0 - abs(float(qx))) * (qy >= 0 ? 1.0 : -1.0);
    }
    return qx == -32768 ? vec3(0.0) : rNormalize(vec3(x, y, z));
}
vec3 vertexNormal(uint v) { return octahedralNormal(texelFetch(vertexTexels, int(v)).w); }

MaterialGpu materialAt(uint id) {
    uint o = 12u * id;
    // Written out slot by slot: nothing for the compiler to unroll, and unused slots are plainly dead.
    TextureSlotGpu maps[4] = TextureSlotGpu[4](
            TextureSlotGpu(texelVec4(materialTexels, o + 4u), texelVec4(materialTexels, o + 5u)),
            TextureSlotGpu(texelVec4(materialTexels, o + 6u), texelVec4(materialTexels, o + 7u)),
            TextureSlotGpu(texelVec4(materialTexels, o + 8u), texelVec4(materialTexels, o + 9u)),
            TextureSlotGpu(texelVec4(materialTexels, o + 10u), texelVec4(materialTexels, o + 11u)));
    return MaterialGpu(texelVec4(materialTexels, o), texelVec4(materialTexels, o + 1u), texelVec4(materialTexels, o + 2u),
            texelVec4(materialTexels, o + 3u), maps);
}
MaterialGpu materialOf(uint tri) { return materialAt(triCorners(tri).w); }

uint lightTriangle(uint i) { return texelWord(lightTexels, 2u * i); }
float lightCdf(uint i) { return uintBitsToFloat(texelFetch(lightTexels, int(2u * i)).y); }
vec3 lightNormal(uint i) { return texelVec4(lightTexels, 2u * i + 1u).xyz; }


vec3 uniformEnvironment() { return texelVec4(punctualTexels, 0u).rgb; }
uvec4 sceneInfo() { return texelFetch(punctualTexels, 1); }
PunctualGpu punctualAt(uint k) {
    uint o = 2u + 3u * k;
    return PunctualGpu(texelVec4(punctualTexels, o), texelVec4(punctualTexels, o + 1u), texelVec4(punctualTexels, o + 2u));
}

// Texels per vertex in shadingTexels: the UVs, then the tangent where the scene has tangents.
uint shadingStride() { return (sceneInfo().x & SCENE_TANGENTS) != 0u ? 2u : 1u; }
vec4 vertexUvs(uint v) { return texelVec4(shadingTexels, shadingStride() * v); }
vec4 vertexTangent(uint v) { return texelVec4(shadingTexels, 2u * v + 1u); }
uint textureWord(uint i) { return texelWord(textureTexels, i); }
float environmentValue(uint i) { return uintBitsToFloat(texelWord(environmentTexels, i)); }
