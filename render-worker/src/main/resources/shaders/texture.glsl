// texture.glsl: texture lookups with glTF samplers (repeat, clamp to edge, mirrored repeat; bilinear or
// nearest), UV transforms and the per-corner attributes a hit interpolates.

// The texture buffer starts with the sRGB decoding of each byte (PackedScene), then four header words per texture.
const uint SRGB_TABLE_WORDS = 256u;

// IEC 61966-2-1 sRGB decoding of one 8-bit channel, by lookup: the same bits on every device.
float srgbToLinear(uint b) {
    return uintBitsToFloat(textureWord(b));
}

// A texel index wrapped into [0, size). boundCoordinate keeps i within one period of the range ([-1, size] for
// repeat, [-1, 2 size] for mirrored repeat), so one step up or down wraps it: no integer division, which has
// no vector instruction on a CPU and runs lane by lane. The final clamp only guards indices from non-finite
// coordinates.
int wrapTexel(int i, int size, uint mode) {
    if (mode == 1u) {
        return clamp(i, 0, size - 1);
    }
    int period = mode == 2u ? 2 * size : size;
    int m = i < 0 ? i + period : (i >= period ? i - period : i);
    m = mode == 2u && m >= size ? period - 1 - m : m;
    return clamp(m, 0, size - 1);
}

vec4 fetchTexel(uint first, uint width, int x, int y, bool srgb) {
    uint word = textureWord(first + uint(y) * width + uint(x));
    uvec4 bytes = (uvec4(word) >> uvec4(0u, 8u, 16u, 24u)) & 0xffu;
    vec4 c = vec4(bytes) * (1.0 / 255.0);
    if (srgb) {
        c.rgb = vec3(srgbToLinear(bytes.r), srgbToLinear(bytes.g), srgbToLinear(bytes.b));
    }
    return c;
}

// Keeps a coordinate within one period of its wrap mode so the texel arithmetic stays in int range.
float boundCoordinate(float c, uint mode) {
    if (mode == 0u) {
        return fract(c);
    }
    if (mode == 2u) {
        return c - 2.0 * floor(c * 0.5);
    }
    return clamp(c, -1.0, 2.0);
}

// Texture t at uv (glTF convention: (0, 0) is the first texel of the first row); srgb decodes colour textures
// per texel, before filtering.
vec4 sampleTexture(uint t, vec2 uv, bool srgb) {
    uint header = SRGB_TABLE_WORDS + 4u * t;
    uint first = textureWord(header);
    uint width = textureWord(header + 1u);
    uint height = textureWord(header + 2u);
    uint flags = textureWord(header + 3u);
    uint wrapS = flags & 3u;
    uint wrapT = (flags >> 2u) & 3u;
    int w = int(width);
    int h = int(height);
    vec2 c = vec2(boundCoordinate(uv.x, wrapS), boundCoordinate(uv.y, wrapT)) * vec2(float(w), float(h));
    if ((flags & 16u) != 0u) {
        return fetchTexel(first, width, wrapTexel(int(floor(c.x)), w, wrapS), wrapTexel(int(floor(c.y)), h, wrapT), srgb);
    }
    // Bilinear filtering between the four nearest texel centres.
    vec2 p = c - 0.5;
    vec2 f = floor(p);
    vec2 a = p - f;
    int x0 = wrapTexel(int(f.x), w, wrapS);
    int x1 = wrapTexel(int(f.x) + 1, w, wrapS);
    int y0 = wrapTexel(int(f.y), h, wrapT);
    int y1 = wrapTexel(int(f.y) + 1, h, wrapT);
    vec4 top = rMix(fetchTexel(first, width, x0, y0, srgb), fetchTexel(first, width, x1, y0, srgb), a.x);
    vec4 bottom = rMix(fetchTexel(first, width, x0, y1, srgb), fetchTexel(first, width, x1, y1, srgb), a.x);
    return rMix(top, bottom, a.y);
}

bool hasMap(TextureSlotGpu slot) {
    return slot.u.w >= 0.0;
}

// UV set of the slot at barycentrics b (of corners 1 and 2), through its KHR_texture_transform.
vec2 slotUv(TextureSlotGpu slot, uint tri, vec2 b) {
    uvec4 c = triCorners(tri);
    bool second = slot.v.w > 0.5;
    vec4 s0 = vertexUvs(c.x);
    vec4 s1 = vertexUvs(c.y);
    vec4 s2 = vertexUvs(c.z);
    vec2 a0 = second ? s0.zw : s0.xy;
    vec2 a1 = second ? s1.zw : s1.xy;
    vec2 a2 = second ? s2.zw : s2.xy;
    vec2 uv = (1.0 - b.x - b.y) * a0 + b.x * a1 + b.y * a2;
    return vec2(rDot(slot.u.xyz, vec3(uv, 1.0)), rDot(slot.v.xyz, vec3(uv, 1.0)));
}

vec4 sampleSlot(TextureSlotGpu slot, uint tri, vec2 b, bool srgb) {
    return sampleTexture(uint(slot.u.w), slotUv(slot, tri, b), srgb);
}

// Alpha mask (glTF alphaMode MASK): false where the surface's opacity is below its cutoff.
bool opaqueAt(uint tri, vec2 b) {
    MaterialGpu m = materialOf(tri);
    if (!MAY_MASK || m.params.w < 0.0) {
        return true;
    }
    float opacity = m.params.z;
    if (MAY_BASE_MAP && hasMap(m.maps[MAP_BASE])) {
        opacity *= sampleSlot(m.maps[MAP_BASE], tri, b, false).a;
    }
    return opacity >= m.params.w;
}

// Emitted radiance of triangle tri's material at barycentrics b (factor times emissive texture).
vec3 emissionAt(uint tri, vec2 b) {
    MaterialGpu m = materialOf(tri);
    vec3 e = m.emission.rgb;
    if (MAY_EMISSIVE_MAP && hasMap(m.maps[MAP_EMISSIVE])) {
        e *= sampleSlot(m.maps[MAP_EMISSIVE], tri, b, true).rgb;
    }
    return e;
}
