// lights.glsl: what next-event estimation samples: the emissive triangles as one light (a triangle
// picked by area), each punctual light, and the uniform environment, each picked with equal probability.

struct LightSample {
    vec3 direction;   // from the shading point towards the light
    float distance;   // to the light point; NO_HIT for the environment and directional lights
    vec3 radiance;    // arriving radiance (area lights, environment) or irradiance-like term (delta lights)
    float pdf;        // solid-angle pdf including the pick probability; 0 marks a delta light
};

vec3 environmentRadiance() {
    return environment.rgb;
}

bool hasEnvironment() {
    return any(greaterThan(environment.rgb, vec3(0.0)));
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
        if (lights[mid].cdf > u) {
            hi = mid;
        } else {
            lo = mid + 1u;
        }
    }
    return lo;
}

bool emitsTowards(uint tri, float cosLight) {
    return cosLight > 0.0 || (cosLight < 0.0 && materials[materialIds[tri]].emission.w > 0.5);
}

// Solid-angle pdf of the emissive-triangle strategy for a point at dist seen under cosLight
// (area pdf 1 / totalArea, converted by dist^2 / |cos|; pbrt-v4 Triangle::PDF), times its pick probability.
float areaLightPdf(float dist, float cosLight) {
    return (dist * dist) / (abs(cosLight) * params.totalLightArea) / float(strategyCount());
}

// Solid-angle pdf of the environment strategy: cosine-weighted around n, times its pick probability.
float environmentPdf(vec3 n, vec3 wi) {
    return max(dot(n, wi), 0.0) * INV_PI / float(strategyCount());
}

// KHR_lights_punctual spot falloff: clamp((cd - cos outer) / (cos inner - cos outer), 0, 1)^2.
float spotFalloff(PunctualGpu l, vec3 wi) {
    float cd = dot(l.direction.xyz, -wi);
    float scale = 1.0 / max(0.001, l.direction.w - l.intensity.w);
    float a = clamp((cd - l.intensity.w) * scale, 0.0, 1.0);
    return a * a;
}

LightSample sampleLights(vec3 p, vec3 n, float uPick, vec2 u) {
    LightSample s = LightSample(vec3(0.0, 0.0, 1.0), NO_HIT, vec3(0.0), 0.0);
    uint count = strategyCount();
    uint k = min(uint(uPick * float(count)), count - 1u);
    float pick = float(count);
    if (params.lightCount > 0u) {
        if (k == 0u) {
            // Reuse u.x for the triangle pick after rescaling, keeping the point's dimensions independent.
            uint tri = lights[pickLight(fract(uPick * float(count)))].triangle;
            vec2 b = sampleUniformTriangle(u);
            vec3 e1 = triE1(tri);
            vec3 e2 = triE2(tri);
            vec3 q = triV0(tri) + b.x * e1 + b.y * e2;
            vec3 d = q - p;
            float dist = length(d);
            s.direction = d / max(dist, 1e-20);
            s.distance = dist;
            float cosLight = -dot(normalize(cross(e1, e2)), s.direction);
            if (dist > 0.0 && emitsTowards(tri, cosLight)) {
                s.radiance = materials[materialIds[tri]].emission.rgb;
                s.pdf = areaLightPdf(dist, cosLight);
            }
            return s;
        }
        k -= 1u;
    }
    if (k < params.punctualCount) {
        PunctualGpu l = punctual[k];
        uint kind = uint(l.position.w);
        if (kind == 2u) {
            s.direction = -l.direction.xyz;
            s.radiance = l.intensity.rgb * pick;
        } else {
            vec3 d = l.position.xyz - p;
            float dist = length(d);
            s.direction = d / max(dist, 1e-20);
            s.distance = dist;
            // Inverse-square law for a point source of radiant intensity I: E = I / d^2.
            float falloff = kind == 1u ? spotFalloff(l, s.direction) : 1.0;
            s.radiance = dist > 0.0 ? l.intensity.rgb * (falloff * pick / (dist * dist)) : vec3(0.0);
        }
        s.pdf = 0.0;
        return s;
    }
    // Environment: cosine-weighted directions around n.
    s.direction = sampleCosineHemisphere(n, u);
    s.radiance = environmentRadiance();
    s.pdf = environmentPdf(n, s.direction);
    return s;
}
