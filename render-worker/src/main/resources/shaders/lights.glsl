// lights.glsl: what next-event estimation samples: the emissive triangles as one light (a triangle
// picked by area), each punctual light, and the environment (uniform: cosine-weighted directions;
// equirectangular map: importance-sampled by luminance), each picked with equal probability.

struct LightSample {
    vec3 direction;   // from the shading point towards the light
    float distance;   // to the light point; NO_HIT for the environment and directional lights
    vec3 radiance;    // arriving radiance (area lights, environment) or irradiance-like term (delta lights)
    float pdf;        // solid-angle pdf including the pick probability; 0 marks a delta light
};

bool hasEnvironmentMap() {
    return MAY_ENVIRONMENT_MAP && (sceneInfo().x & SCENE_ENVIRONMENT_MAP) != 0u;
}

// Equirectangular coordinates of a direction: u = 0.5 looks down -Z, u grows towards +X; v = 0 is straight up.
vec2 environmentUv(vec3 d) {
    return vec2(0.5 + rAtan2(d.x, -d.z) * (0.5 * INV_PI), rAcos(clamp(d.y, -1.0, 1.0)) * INV_PI);
}

uint environmentTexel(vec3 d) {
    uint w = sceneInfo().y;
    uint h = sceneInfo().z;
    vec2 uv = environmentUv(d);
    uint x = min(uint(max(uv.x, 0.0) * float(w)), w - 1u);
    uint y = min(uint(max(uv.y, 0.0) * float(h)), h - 1u);
    return y * w + x;
}

vec3 environmentTexelRadiance(uint texel) {
    return vec3(environmentValue(3u * texel), environmentValue(3u * texel + 1u), environmentValue(3u * texel + 2u));
}

vec3 environmentRadiance(vec3 d) {
    return hasEnvironmentMap() ? environmentTexelRadiance(environmentTexel(d)) : uniformEnvironment();
}

bool hasEnvironment() {
    return MAY_ENVIRONMENT && (hasEnvironmentMap() || any(greaterThan(uniformEnvironment(), vec3(0.0))));
}

// Solid-angle pdf of importance-sampling the map towards d: texel probability (luminance x sin(theta) over
// the total, as PackedScene builds the cdfs) x texels / (2 pi^2 sin(theta)) (pbrt-v3 InfiniteAreaLight::Pdf).
float environmentMapPdf(vec3 d) {
    uint w = sceneInfo().y;
    uint h = sceneInfo().z;
    uint texel = environmentTexel(d);
    float sinTheta = rSqrt(max(0.0, 1.0 - d.y * d.y));
    if (sinTheta <= 0.0) {
        return 0.0;
    }
    float rowSin = rSin(rDiv(PI * (float(texel / w) + 0.5), float(h)));
    vec3 c = environmentTexelRadiance(texel);
    float weight = rDot(c, vec3(0.2126, 0.7152, 0.0722)) * rowSin;
    return rDiv(rDiv(weight, uintBitsToFloat(sceneInfo().w)) * float(w * h), 2.0 * PI * PI * sinTheta);
}

// First index in [0, count) of the cdf starting at environmentValue(start) whose value exceeds u.
uint searchCdf(uint start, uint count, float u) {
    uint lo = 0u;
    uint hi = count - 1u;
    while (lo < hi) {
        uint mid = (lo + hi) >> 1u;
        if (environmentValue(start + mid) > u) {
            hi = mid;
        } else {
            lo = mid + 1u;
        }
    }
    return lo;
}

// A direction towards the map, picked by the marginal (rows) and conditional (columns) cdfs, uniform within the texel.
vec3 sampleEnvironmentMap(vec2 u) {
    uint w = sceneInfo().y;
    uint h = sceneInfo().z;
    uint marginal = 3u * w * h;
    uint row = searchCdf(marginal, h, u.x);
    float rowLo = row == 0u ? 0.0 : environmentValue(marginal + row - 1u);
    float rowU = clamp(rDiv(u.x - rowLo, max(environmentValue(marginal + row) - rowLo, 1e-20)), 0.0, 0.99999994);
    uint conditional = marginal + h + row * w;
    uint column = searchCdf(conditional, w, u.y);
    float colLo = column == 0u ? 0.0 : environmentValue(conditional + column - 1u);
    float colU = clamp(rDiv(u.y - colLo, max(environmentValue(conditional + column) - colLo, 1e-20)), 0.0, 0.99999994);
    float phi = (rDiv(float(column) + colU, float(w)) - 0.5) * 2.0 * PI;
    float theta = rDiv(float(row) + rowU, float(h)) * PI;
    vec2 t = rCosSin(theta);
    vec2 f = rCosSin(phi);
    return vec3(t.y * f.y, t.x, -t.y * f.x);
}

// Strategies, in order: emissive triangles (when any), punctual lights, environment (when not black).
uint strategyCount() {
    return (params.lightCount > 0u ? 1u : 0u) + params.punctualCount + (hasEnvironment() ? 1u : 0u);
}

// First emissive triangle whose cdf exceeds u (binary search over the area cdf).
uint pickLight(float u) {
    uint lo = 0u;
    uint hi = params.lightCount - 1u;
    while (lo < hi) {
        uint mid = (lo + hi) >> 1u;
        if (lightCdf(mid) > u) {
            hi = mid;
        } else {
            lo = mid + 1u;
        }
    }
    return lo;
}

bool emitsTowards(uint tri, float cosLight) {
    return cosLight > 0.0 || (cosLight < 0.0 && materialOf(tri).emission.w > 0.5);
}

// Solid-angle pdf of the emissive-triangle strategy for a point at dist seen under cosLight
// (area pdf 1 / totalArea, converted by dist^2 / |cos|; pbrt-v4 Triangle::PDF), times its pick probability.
float areaLightPdf(float dist, float cosLight) {
    return rDiv(dist * dist, abs(cosLight) * params.totalLightArea * float(strategyCount()));
}

// Solid-angle pdf of the environment strategy (the map's, or cosine-weighted around n), times its pick probability.
float environmentPdf(vec3 n, vec3 wi) {
    if (hasEnvironmentMap()) {
        return rDiv(environmentMapPdf(wi), float(strategyCount()));
    }
    return rDiv(max(rDot(n, wi), 0.0) * INV_PI, float(strategyCount()));
}

// KHR_lights_punctual spot falloff: clamp((cd - cos outer) / (cos inner - cos outer), 0, 1)^2.
float spotFalloff(PunctualGpu l, vec3 wi) {
    float cd = rDot(l.direction.xyz, -wi);
    float scale = rRcp(max(0.001, l.direction.w - l.intensity.w));
    float a = clamp((cd - l.intensity.w) * scale, 0.0, 1.0);
    return a * a;
}

LightSample sampleLights(vec3 p, vec3 n, float uPick, vec2 u) {
    LightSample s = LightSample(vec3(0.0, 0.0, 1.0), NO_HIT, vec3(0.0), 0.0);
    uint count = strategyCount();
    uint k = min(uint(uPick * float(count)), count - 1u);
    float pick = float(count);
    if (MAY_AREA_LIGHTS && params.lightCount > 0u) {
        if (k == 0u) {
            // Reuse u.x for the triangle pick after rescaling, keeping the point's dimensions independent.
            uint light = pickLight(fract(uPick * float(count)));
            uint tri = lightTriangle(light);
            vec2 b = sampleUniformTriangle(u);
            TriangleGeometry g = triangleAt(tri);
            vec3 q = g.v0 + b.x * g.e1 + b.y * g.e2;
            vec3 d = q - p;
            float squared = rDot(d, d);
            // One inverse root gives the direction and the distance.
            float inverse = rRsqrt(max(squared, 1e-36));
            float dist = squared * inverse;
            s.direction = d * inverse;
            s.distance = dist;
            float cosLight = -rDot(lightNormal(light), s.direction);
            if (dist > 0.0 && emitsTowards(tri, cosLight)) {
                s.radiance = emissionAt(tri, b);
                s.pdf = areaLightPdf(dist, cosLight);
            }
            return s;
        }
        k -= 1u;
    }
    if (MAY_PUNCTUAL && k < params.punctualCount) {
        PunctualGpu l = punctualAt(k);
        uint kind = uint(l.position.w);
        if (kind == 2u) {
            s.direction = -l.direction.xyz;
            s.radiance = l.intensity.rgb * pick;
        } else {
            vec3 d = l.position.xyz - p;
            float squared = rDot(d, d);
            float inverse = rRsqrt(max(squared, 1e-36));
            float dist = squared * inverse;
            s.direction = d * inverse;
            s.distance = dist;
            // Inverse-square law for a point source of radiant intensity I: E = I / d^2.
            float falloff = kind == 1u ? spotFalloff(l, s.direction) : 1.0;
            s.radiance = dist > 0.0 ? l.intensity.rgb * rDiv(falloff * pick, squared) : vec3(0.0);
        }
        s.pdf = 0.0;
        return s;
    }
    if (!MAY_ENVIRONMENT) {
        return s;
    }
    // Environment: the map by importance, or cosine-weighted directions around n.
    s.direction = hasEnvironmentMap() ? sampleEnvironmentMap(u) : sampleCosineHemisphere(n, u);
    s.radiance = environmentRadiance(s.direction);
    s.pdf = environmentPdf(n, s.direction);
    if (!(s.pdf > 0.0)) {
        s.radiance = vec3(0.0);
    }
    return s;
}
